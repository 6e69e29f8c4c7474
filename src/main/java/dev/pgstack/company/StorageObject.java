package dev.pgstack.company;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Metadata of an object that a company keeps in storage; the key is unique within the company. */
@Entity
@Table(name = "storage_objects")
public class StorageObject extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "company_id", nullable = false)
    public Long companyId;

    @Column(nullable = false, length = 1024)
    public String key;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(name = "content_type", nullable = false, length = 255)
    public String contentType;

    @Column(length = 255)
    public String checksum;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
