package dev.pgstack.company;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.pgstack.problem.ConstraintNames;

/** The constraints of companies and their storage objects (V3), as clients know them. */
@ApplicationScoped
public class CompanyConstraints implements ConstraintNames {

    @Override
    public Map<String, String> fields() {
        return Map.of("companies_name_unique", "name",
                "storage_objects_company_key_unique", "key",
                "storage_objects_size_not_negative", "sizeBytes");
    }

    @Override
    public Map<String, String> parents() {
        return Map.of("storage_objects_company_id_fkey", "company");
    }
}
