package dev.wslab.loadtest.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A line chart as inline SVG: one line per series, a dot per point, axes with a few ticks. Drawn
 * here rather than by a script in the page, so report.html opens anywhere, offline, with nothing run.
 */
public final class SvgChart {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final int WIDTH = 520;
    private static final int HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int RIGHT = 15;
    private static final int TOP = 15;
    private static final int BOTTOM = 45;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logY;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();

    public SvgChart(String title, String xLabel, String yLabel, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logY = logY;
    }

    /** Adds a point to a series; points with a value that cannot be drawn (NaN, ≤ 0 on a log axis) are left out. */
    public SvgChart point(String name, double x, double y) {
        if (!Double.isNaN(x) && !Double.isNaN(y) && !(logY && y <= 0)) {
            series.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(new double[] {x, y});
        }
        return this;
    }

    public String svg() {
        double xMax = 0;
        double yMin = Double.MAX_VALUE;
        double yMax = 0;
        for (List<double[]> points : series.values()) {
            for (double[] p : points) {
                xMax = Math.max(xMax, p[0]);
                yMin = Math.min(yMin, p[1]);
                yMax = Math.max(yMax, p[1]);
            }
        }
        xMax = xMax > 0 ? xMax * 1.05 : 1;
        double lo = logY ? Math.pow(10, Math.floor(Math.log10(yMin == Double.MAX_VALUE ? 1 : yMin))) : 0;
        double hi = logY ? Math.pow(10, Math.ceil(Math.log10(Math.max(yMax, lo * 10)))) : (yMax > 0 ? yMax * 1.1 : 1);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format("<figure><figcaption>%s</figcaption>%n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" class=\"chart\">%n",
                escape(title), WIDTH, HEIGHT, WIDTH, HEIGHT, WIDTH, HEIGHT));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        svg.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", LEFT, TOP, plotW, plotH));
        for (int i = 0; i <= 4; i++) {
            double xv = xMax * i / 4;
            double yv = logY ? lo * Math.pow(hi / lo, i / 4.0) : hi * i / 4;
            double px = x(xv, xMax);
            double py = y(yv, lo, hi);
            svg.append(String.format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, HEIGHT - BOTTOM + 15, number(xv)));
            svg.append(String.format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 4, py + 4, number(yv)));
            svg.append(String.format("<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>%n", LEFT, WIDTH - RIGHT, py, py));
        }
        svg.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + plotW / 2, HEIGHT - 8, escape(xLabel)));
        svg.append(String.format("<text x=\"12\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 12 %d)\">%s</text>%n",
                TOP + plotH / 2, TOP + plotH / 2, escape(yLabel + (logY ? " (log)" : ""))));
        int color = 0;
        for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
            String c = COLORS[color++ % COLORS.length];
            StringBuilder points = new StringBuilder();
            for (double[] p : s.getValue()) {
                points.append(String.format("%.1f,%.1f ", x(p[0], xMax), y(p[1], lo, hi)));
            }
            svg.append(String.format("<polyline data-series=\"%s\" points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    escape(s.getKey()), points.toString().trim(), c));
            for (double[] p : s.getValue()) {
                svg.append(String.format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x(p[0], xMax), y(p[1], lo, hi), c));
            }
            svg.append(String.format("<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", LEFT + 8, TOP + 14 * color, c, escape(s.getKey())));
        }
        return svg.append("</svg></figure>\n").toString();
    }

    private static double x(double v, double max) {
        return LEFT + (WIDTH - LEFT - RIGHT) * v / max;
    }

    private double y(double v, double lo, double hi) {
        double f = logY ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo);
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - f);
    }

    private static String number(double v) {
        if (v >= 1_000_000) {
            return String.format("%.1fM", v / 1_000_000);
        }
        if (v >= 10_000) {
            return String.format("%.0fk", v / 1_000);
        }
        return v >= 10 || v == 0 ? String.format("%.0f", v) : String.format("%.2g", v);
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
