package org.cnt.cli;

/** A {@code HOST:PORT} option value, checked once with a message naming the option. */
record HostPort(String host, int port) {

    static HostPort parse(String text, String option) throws CliException {
        int colon = text.lastIndexOf(':');
        if (colon < 1) {
            throw new CliException(option + " must be HOST:PORT, got " + text);
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65_535) {
                throw new CliException(option + " port must be 0..65535, got " + port);
            }
            return new HostPort(text.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new CliException(option + " port is not a number: " + text);
        }
    }
}
