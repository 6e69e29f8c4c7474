package dev.pgstack.agent;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.pgstack.problem.ConstraintNames;

/** The agents' constraints (V3), as clients know them. */
@ApplicationScoped
public class AgentConstraints implements ConstraintNames {

    @Override
    public Map<String, String> fields() {
        return Map.of("agents_company_fk", "companyId");
    }
}
