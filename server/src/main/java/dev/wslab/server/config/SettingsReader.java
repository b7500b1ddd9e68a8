package dev.wslab.server.config;

import dev.wslab.settings.Setting;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** Reads one {@link Setting}: the system property if set, else the environment, else the default. */
record SettingsReader(Map<String, String> env, Properties props) {
    String string(Setting s) {
        return Optional.ofNullable(props.getProperty(s.property()))
                .or(() -> Optional.ofNullable(env.get(s.env())))
                .orElse(s.defaultValue());
    }

    boolean bool(Setting s) {
        String value = string(s).trim().toLowerCase(java.util.Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(s.env() + " must be true or false, got '" + value + "'");
        }
        return value.equals("true");
    }

    <E extends Enum<E>> E choice(Setting s, Class<E> kind) {
        String value = string(s).trim();
        for (E e : kind.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException(s.env() + " must be one of "
                + java.util.Arrays.toString(kind.getEnumConstants()).toLowerCase(java.util.Locale.ROOT) + ", got '" + value + "'");
    }

    int integer(Setting s) {
        String value = string(s).trim();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(s.env() + " must be a whole number, got '" + value + "'", e);
        }
    }

    /** A setting in milliseconds (its key ends in {@code .ms}). */
    java.time.Duration millis(Setting s) {
        return java.time.Duration.ofMillis(integer(s));
    }
}
