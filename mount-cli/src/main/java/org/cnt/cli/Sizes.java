package org.cnt.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as people type them: "512", "512M", "64MiB", "1G", "2TiB". Units are binary (the chain's
 * MB is a MiB); a bare number is in the unit the option names.
 */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgtp]?)(i?b)?");

    private Sizes() {
    }

    static long parseBytes(String text, long bareUnitBytes) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (try 512M, 64MiB, 10G)");
        }
        long unit = switch (m.group(2)) {
            case "" -> m.group(3) == null ? bareUnitBytes : 1;
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            default -> 1L << 50;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
    }

    /** A size in whole MB (MiB); refuses sizes that are not a whole number of MB. */
    static long parseMb(String text) {
        long bytes = parseBytes(text, 1L << 20);
        if (bytes % (1L << 20) != 0 || bytes == 0) {
            throw new IllegalArgumentException("volume sizes are whole MB (MiB), at least 1: '"
                    + text + "'");
        }
        return bytes >> 20;
    }
}
