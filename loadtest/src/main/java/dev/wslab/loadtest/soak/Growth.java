package dev.wslab.loadtest.soak;

import java.util.List;

/**
 * How fast one sampled figure grows after warm-up, and whether that is a leak: the least-squares
 * slope over the samples, per hour, with its standard error. A series fails its bound only when
 * the slope exceeds it by more than three standard errors — the growth is then both too fast and
 * not the noise of a short run (a node's descriptors move with the sockets HAProxy keeps open to
 * it at the moment of the sample; three errors, not two, keep eleven series in a two-minute soak
 * from failing on noise about once in fifty runs). A short soak can therefore only catch a fast leak; the 30-minute one in NOTES.md
 * narrows the error enough to catch slow ones.
 *
 * @param perHour the fitted growth per hour
 * @param standardError the slope's standard error, per hour (0 with fewer than three samples)
 */
public record Growth(String series, double bound, double perHour, double standardError, int samples) {
    private static final double SECONDS_PER_HOUR = 3600;

    /** @param points {seconds since start, value} of the samples after warm-up */
    public static Growth of(String series, double boundPerHour, List<double[]> points) {
        int n = points.size();
        if (n < 2) {
            return new Growth(series, boundPerHour, 0, 0, n);
        }
        double meanX = 0;
        double meanY = 0;
        for (double[] p : points) {
            meanX += p[0] / n;
            meanY += p[1] / n;
        }
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            sxx += (p[0] - meanX) * (p[0] - meanX);
            sxy += (p[0] - meanX) * (p[1] - meanY);
        }
        if (sxx == 0) {
            return new Growth(series, boundPerHour, 0, 0, n);
        }
        double slope = sxy / sxx;
        double error = 0;
        if (n > 2) {
            double residuals = 0;
            for (double[] p : points) {
                double r = p[1] - (meanY + slope * (p[0] - meanX));
                residuals += r * r;
            }
            error = Math.sqrt(residuals / (n - 2) / sxx);
        }
        return new Growth(series, boundPerHour, slope * SECONDS_PER_HOUR, error * SECONDS_PER_HOUR, n);
    }

    public boolean leaks() {
        return perHour - 3 * standardError > bound;
    }

    public String verdict() {
        return String.format(java.util.Locale.ROOT, "%s: %+.1f/h ± %.1f (bound %.0f/h, %d samples) %s", series, perHour,
                standardError, bound, samples, leaks() ? "GROWS" : "ok");
    }
}
