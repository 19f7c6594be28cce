package dev.keyway.imports.integration;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Provider;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import dev.keyway.imports.config.ImportsConfig;

/**
 * An integration's schedule: at least {@code keyway.imports.minimum-interval} (JumpCloud blocks clients that hammer
 * its API), at most {@link #MAX} (a directory a week stale is not an import). Null passes: the default applies.
 */
@Documented
@Constraint(validatedBy = ImportInterval.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface ImportInterval {

    Duration MAX = Duration.ofDays(7);

    String message() default "out of range";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    @ApplicationScoped
    class Validator implements ConstraintValidator<ImportInterval, Duration> {

        // looked up per check: the validator factory builds validators at start-up, before config mappings exist
        private final Provider<ImportsConfig> config;

        public Validator(Provider<ImportsConfig> config) {
            this.config = config;
        }

        @Override
        public boolean isValid(Duration interval, ConstraintValidatorContext context) {
            Duration minimum = config.get().minimumInterval();
            if (interval == null || interval.compareTo(minimum) >= 0 && interval.compareTo(MAX) <= 0) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("must lie between " + minimum + " and " + MAX)
                    .addConstraintViolation();
            return false;
        }
    }
}
