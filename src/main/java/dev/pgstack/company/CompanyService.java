package dev.pgstack.company;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;

import dev.pgstack.company.CompanyDtos.CompanyBody;
import dev.pgstack.company.CompanyDtos.CompanyPatch;
import dev.pgstack.company.CompanyDtos.CompanyView;
import dev.pgstack.company.CompanyDtos.NewStorageObject;
import dev.pgstack.company.CompanyDtos.StorageObjectView;
import dev.pgstack.db.sql.DatabaseClock;
import dev.pgstack.db.sql.LikePatterns;
import dev.pgstack.db.sql.Slice;
import dev.pgstack.problem.ApiException;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;

/** Companies and their storage objects. Writes: one transaction each. Reads: no transaction of their own. */
@ApplicationScoped
public class CompanyService {

    @Transactional(rollbackOn = Exception.class)
    public CompanyView create(CompanyBody body) {
        Instant now = DatabaseClock.now();
        Company c = new Company();
        c.name = body.name();
        c.createdAt = now;
        c.updatedAt = now;
        c.persist(); // a duplicate name is a unique violation: 409
        return CompanyView.of(c);
    }

    @Transactional(TxType.SUPPORTS)
    public Slice<CompanyView> list(int skip, int limit) {
        PanacheQuery<Company> q = Company.findAll(Sort.by("id"));
        long total = q.count();
        List<CompanyView> items = total <= skip ? List.of()
                : q.range(skip, skip + limit - 1).stream().map(CompanyView::of).toList();
        return new Slice<>(items, total);
    }

    @Transactional(TxType.SUPPORTS)
    public CompanyView get(long id) {
        return CompanyView.of(existing(id));
    }

    @Transactional(rollbackOn = Exception.class)
    public CompanyView patch(long id, CompanyPatch patch, Set<String> present) {
        Company c = existing(id);
        if (present.contains("name")) {
            c.name = patch.name();
        }
        c.updatedAt = DatabaseClock.now();
        Company.flush(); // a duplicate name fails here, inside the request, as a 409
        return CompanyView.of(c);
    }

    /** One DELETE; the database removes the company's agents and storage objects in the same statement. */
    @Transactional(rollbackOn = Exception.class)
    public void delete(long id) {
        if (Company.delete("id", id) == 0) {
            throw notFound(id);
        }
    }

    @Transactional(rollbackOn = Exception.class)
    public StorageObjectView addObject(long companyId, NewStorageObject body) {
        // No existence check: the foreign key refuses an unknown (or concurrently deleted) company, answered 404.
        StorageObject o = new StorageObject();
        o.companyId = companyId;
        o.key = body.key();
        o.sizeBytes = body.sizeBytes();
        o.contentType = body.contentType();
        o.checksum = body.checksum();
        o.createdAt = DatabaseClock.now();
        o.persist(); // an existing key in this company is a unique violation: 409
        return StorageObjectView.of(o);
    }

    /** Ordered by key; a prefix becomes a range scan on the (company_id, key COLLATE "C") unique index. */
    @Transactional(TxType.SUPPORTS)
    public Slice<StorageObjectView> objects(long companyId, String prefix, int skip, int limit) {
        existing(companyId);
        PanacheQuery<StorageObject> q;
        if (prefix == null || prefix.isEmpty()) {
            q = StorageObject.find("companyId = ?1", Sort.by("key"), companyId);
        } else {
            q = StorageObject.find("companyId = ?1 and key like ?2 escape '\\'", Sort.by("key"), companyId,
                    LikePatterns.escape(prefix) + "%");
        }
        long total = q.count();
        List<StorageObjectView> items = total <= skip ? List.of()
                : q.range(skip, skip + limit - 1).stream().map(StorageObjectView::of).toList();
        return new Slice<>(items, total);
    }

    @Transactional(TxType.SUPPORTS)
    public StorageObjectView object(long companyId, long objectId) {
        return StorageObjectView.of(existingObject(companyId, objectId));
    }

    @Transactional(rollbackOn = Exception.class)
    public void deleteObject(long companyId, long objectId) {
        existing(companyId);
        if (StorageObject.delete("id = ?1 and companyId = ?2", objectId, companyId) == 0) {
            throw ApiException.notFound("storage object " + objectId + " of company " + companyId
                    + " does not exist");
        }
    }


    private static StorageObject existingObject(long companyId, long objectId) {
        existing(companyId);
        StorageObject o = StorageObject.findById(objectId);
        if (o == null || o.companyId != companyId) {
            throw ApiException.notFound("storage object " + objectId + " of company " + companyId
                    + " does not exist");
        }
        return o;
    }

    static Company existing(long id) {
        Company c = Company.findById(id);
        if (c == null) {
            throw notFound(id);
        }
        return c;
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("company " + id + " does not exist");
    }
}
