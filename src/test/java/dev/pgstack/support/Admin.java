package dev.pgstack.support;

/** Credentials of /q/db/* in tests: %test.pgstack.admin.password, and the packaged app's under *IT. */
public final class Admin {

    public static final String USER = "admin";
    public static final String PASSWORD = "ops-secret";

    private Admin() {
    }
}
