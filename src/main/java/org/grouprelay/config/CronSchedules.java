package org.grouprelay.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.util.Optional;

/** Quartz-style cron expressions (seconds first, {@code ?} for "any day"), parsed by cron-utils. */
public final class CronSchedules {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private CronSchedules() {
    }

    static void validate(String expression, String key) {
        try {
            PARSER.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": '" + expression + "' is not a Quartz cron expression (" + e.getMessage()
                    + "); write it like \"0 30 2 * * ?\" (seconds minutes hours day-of-month month day-of-week)");
        }
    }

    /** When {@code expression} fires next after {@code now}. */
    public static Optional<ZonedDateTime> next(String expression, ZonedDateTime now) {
        Cron cron = PARSER.parse(expression);
        return ExecutionTime.forCron(cron).nextExecution(now);
    }
}
