package io.beehive.local.http;

/** libprocess's Accept matching for the two stream encodings: JSON preferred, then protobuf. */
final class AcceptHeader {

    private AcceptHeader() {}

    /** TRUE = JSON, FALSE = protobuf, null = neither acceptable (406). A missing header accepts anything. */
    static Boolean prefersJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return Boolean.TRUE;
        }
        if (acceptable(accept, "application", "json")) {
            return Boolean.TRUE;
        }
        if (acceptable(accept, "application", "x-protobuf")) {
            return Boolean.FALSE;
        }
        return null;
    }

    private static boolean acceptable(String header, String type, String subtype) {
        double best = -1;
        int bestSpecificity = -1;
        for (String range : header.split(",")) {
            String[] parts = range.trim().split(";");
            String media = parts[0].trim().toLowerCase();
            double q = 1.0;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            int specificity;
            if (media.equals(type + "/" + subtype)) {
                specificity = 2;
            } else if (media.equals(type + "/*")) {
                specificity = 1;
            } else if (media.equals("*/*")) {
                specificity = 0;
            } else {
                continue;
            }
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                best = q;
            }
        }
        return best > 0;
    }
}
