package dev.pgstack.web.input;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Length of a text in characters (Unicode code points), as PostgreSQL's {@code char_length} and Python's
 * {@code len()} count them: "😀" is 1. {@code @Size} counts UTF-16 units, which would refuse 51 emoji as over 100.
 * Null is valid (use {@code @NotNull} where a value is required).
 */
@Documented
@Constraint(validatedBy = Chars.Validator.class)
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT,
        ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface Chars {

    int min() default 0;

    int max();

    String message();

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Counts code points; lone surrogates never get here (the JSON reader refuses them). */
    class Validator implements ConstraintValidator<Chars, CharSequence> {
        private int min;
        private int max;

        @Override
        public void initialize(Chars annotation) {
            min = annotation.min();
            max = annotation.max();
        }

        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            int units = value.length();
            if (units < min || units > 2L * max) { // cheap bounds: a code point is 1 or 2 UTF-16 units
                return false;
            }
            int chars = Character.codePointCount(value, 0, units);
            return chars >= min && chars <= max;
        }
    }
}
