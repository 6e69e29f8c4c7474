package dev.pgstack.web.idempotency;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

/**
 * A POST that honours the {@code Idempotency-Key} header (docs/api.md "Safe retries", /q/openapi): the method runs in
 * one transaction together with the storing of its answer, and a retry with the same key gets that answer again. See
 * {@link IdempotencyInterceptor}.
 */
@InterceptorBinding
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
public @interface Idempotent {
}
