package dev.wslab.settings;

/**
 * One node setting: its key, default and meaning — one row of the README's configuration table.
 * A node reads it from the system property {@link #property()} or else the environment variable
 * {@link #env()}; the launcher and the load tests set it by the same declaration.
 */
public record Setting(String key, String defaultValue, String meaning) {
    public String env() {
        return "WSLAB_" + key.toUpperCase().replace('.', '_');
    }

    public String property() {
        return "wslab." + key;
    }
}
