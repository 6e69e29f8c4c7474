package dev.pgstack.db.replica;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

import io.quarkus.arc.Arc;
import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.quarkus.hibernate.orm.runtime.tenant.TenantResolver;

/**
 * Decides, when Hibernate opens a session, which server it talks to, by the kind of work and never by the SQL:
 * a session inside a transaction (every write, and every read inside a write) belongs to the primary; a session
 * outside one (the read-only endpoints, {@code @Transactional(SUPPORTS)}) goes to a replica chosen by
 * {@link Replicas#forRead}. Hibernate's database-per-tenant hook is the seam: the "tenants" are the servers.
 */
@PersistenceUnitExtension
@ApplicationScoped
public class ReadRouting implements TenantResolver {

    @Inject
    Replicas replicas;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Override
    public String getDefaultTenantId() {
        return Replicas.PRIMARY;
    }

    @Override
    public String resolveTenantId() {
        if (!replicas.configured() || transactions.getTransactionStatus() != Status.STATUS_NO_TRANSACTION) {
            return Replicas.PRIMARY;
        }
        ReplicaPool replica = replicas.forRead(readAfter());
        return replica == null ? Replicas.PRIMARY : replica.name();
    }

    /** The client's last write on this request ({@link WalPosition#NONE}: none, or no request). */
    static long readAfter() {
        var request = Arc.container().requestContext();
        if (!request.isActive()) {
            return WalPosition.NONE;
        }
        return Arc.container().instance(ReadAfter.class).get().position();
    }
}
