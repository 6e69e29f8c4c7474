package dev.pgstack.agent;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An AI agent: a model with a system prompt, optionally owned by a company (deleted with it). */
@Entity
@Table(name = "agents")
public class Agent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 100)
    public String name;

    @Column(name = "company_id")
    public Long companyId;

    @Column(nullable = false, length = 100)
    public String model;

    @Column(name = "system_prompt", columnDefinition = "text")
    public String systemPrompt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
