package dev.wslab.loadtest.report;

import com.fasterxml.jackson.databind.JsonNode;

/** A figure as a summary table's cell: formatted, or a dash where the run has none. */
public final class Cells {
    private Cells() {}

    public static String number(Double value, String format) {
        return value == null ? "—" : String.format(format, value);
    }

    public static String number(JsonNode value, String format) {
        return value == null || value.isMissingNode() || value.isNull() ? "—" : String.format(format, value.asDouble());
    }
}
