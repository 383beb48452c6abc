package org.cnt.node.internal;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the API refuses: the status, machine code and sentence of the JSON error body. */
final class ApiError extends Exception {
    final HttpResponseStatus status;
    final String code;
    final String detail;

    ApiError(HttpResponseStatus status, String code, String detail) {
        super(code + ": " + detail, null, false, false);
        this.status = status;
        this.code = code;
        this.detail = detail;
    }

    static ApiError badRequest(String code, String detail) {
        return new ApiError(HttpResponseStatus.BAD_REQUEST, code, detail);
    }

    static ApiError notFound(String code, String detail) {
        return new ApiError(HttpResponseStatus.NOT_FOUND, code, detail);
    }
}
