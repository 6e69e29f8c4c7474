package dev.pgstack.agent;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;

import dev.pgstack.agent.AgentDtos.AgentPatch;
import dev.pgstack.agent.AgentDtos.AgentView;
import dev.pgstack.agent.AgentDtos.NewAgent;
import dev.pgstack.company.Company;
import dev.pgstack.db.sql.DatabaseClock;
import dev.pgstack.problem.ApiException;
import io.quarkus.panache.common.Sort;

/** Agents. Writes: one transaction each. Reads: no transaction of their own. */
@ApplicationScoped
public class AgentService {

    @Transactional(rollbackOn = Exception.class)
    public AgentView create(NewAgent body) {
        requireCompany(body.companyId());
        Instant now = DatabaseClock.now();
        Agent a = new Agent();
        a.name = body.name();
        a.companyId = body.companyId();
        a.model = body.model();
        a.systemPrompt = body.systemPrompt();
        a.createdAt = now;
        a.updatedAt = now;
        a.persist();
        return AgentView.of(a);
    }

    @Transactional(TxType.SUPPORTS)
    public List<AgentView> list(Long companyId) {
        List<Agent> agents = companyId == null ? Agent.listAll(Sort.by("id"))
                : Agent.list("companyId", Sort.by("id"), companyId);
        return agents.stream().map(AgentView::of).toList();
    }

    @Transactional(TxType.SUPPORTS)
    public AgentView get(long id) {
        return AgentView.of(existing(id));
    }

    @Transactional(rollbackOn = Exception.class)
    public AgentView patch(long id, AgentPatch patch, Set<String> present) {
        Agent a = existing(id);
        if (present.contains("companyId")) {
            requireCompany(patch.companyId());
            a.companyId = patch.companyId();
        }
        if (present.contains("name")) {
            a.name = patch.name();
        }
        if (present.contains("model")) {
            a.model = patch.model();
        }
        if (present.contains("systemPrompt")) {
            a.systemPrompt = patch.systemPrompt();
        }
        a.updatedAt = DatabaseClock.now();
        return AgentView.of(a);
    }

    @Transactional(rollbackOn = Exception.class)
    public void delete(long id) {
        if (Agent.delete("id", id) == 0) {
            throw notFound(id);
        }
    }

    /** An unknown company is a 400 naming the field, not a foreign-key error at commit. */
    private static void requireCompany(Long companyId) {
        if (companyId != null && Company.findById(companyId) == null) {
            throw ApiException.badRequest("companyId", "no company with id " + companyId);
        }
    }

    private static Agent existing(long id) {
        Agent a = Agent.findById(id);
        if (a == null) {
            throw notFound(id);
        }
        return a;
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("agent " + id + " does not exist");
    }
}
