// numberpool/http/error_mapping.h
//
// The one place where errors become HTTP: status code, the x-amzn-ErrorType shape name that
// botocore reads first, and the Code value of Chime's ErrorCode enum in the rest-json body.
//
// Thread-safety: stateless functions over constant tables.

#ifndef NUMBERPOOL_HTTP_ERROR_MAPPING_H_
#define NUMBERPOOL_HTTP_ERROR_MAPPING_H_

#include <string>
#include <string_view>

#include "common/result.h"

namespace numberpool::http {

// The wire errors numberpool sends, named after their shapes.
enum class WireError {
  kBadRequest,        // 400 BadRequestException
  kNotFound,          // 404 NotFoundException
  kMethodNotAllowed,  // 405 MethodNotAllowedException
  kPayloadTooLarge,   // 413 BadRequestException
  kHeadersTooLarge,
  kUriTooLong,           // 414 BadRequestException
  kRequestTimeout,       // 408 BadRequestException
  kVersionNotSupported,  // 505 BadRequestException     // 431 BadRequestException
  kServiceFailure,       // 500 ServiceFailureException
  kServiceUnavailable,   // 503 ServiceUnavailableException
  // Authentication and authorization, checked before routing (sigv4_authenticator.h).
  kMissingAuthenticationToken,  // 403
  kIncompleteSignature,         // 403
  kInvalidSignature,            // 403
  kUnrecognizedClient,          // 403
  kExpiredToken,                // 403
  kUnauthorizedClient,          // 401
  kForbidden,                   // 403
  kAccessDenied,                // 403
  kThrottledClient,             // 429
};

struct ErrorShape {
  int status;
  std::string_view type;  // x-amzn-ErrorType
  std::string_view code;  // body "Code"
};

ErrorShape ShapeOf(WireError error);

// The wire error for an internal Error: bad input is a 400; anything else is a failure of the
// service (its message is logged, never sent).
WireError WireErrorFor(const Error& error);

// {"Code":"...","Message":"..."} with `message` JSON-escaped.
std::string ErrorBody(std::string_view code, std::string_view message);

}  // namespace numberpool::http

#endif  // NUMBERPOOL_HTTP_ERROR_MAPPING_H_
