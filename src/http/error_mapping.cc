#include "http/error_mapping.h"

#include "common/json_writer.h"

namespace numberpool::http {

ErrorShape ShapeOf(WireError error) {
  switch (error) {
    case WireError::kBadRequest:
      return {400, "BadRequestException", "BadRequest"};
    case WireError::kNotFound:
      return {404, "NotFoundException", "NotFound"};
    case WireError::kMethodNotAllowed:
      // Chime's ErrorCode enum has no value for this; BadRequest is the closest.
      return {405, "MethodNotAllowedException", "BadRequest"};
    case WireError::kPayloadTooLarge:
      return {413, "BadRequestException", "BadRequest"};
    case WireError::kHeadersTooLarge:
      return {431, "BadRequestException", "BadRequest"};
    case WireError::kUriTooLong:
      return {414, "BadRequestException", "BadRequest"};
    case WireError::kRequestTimeout:
      return {408, "BadRequestException", "BadRequest"};
    case WireError::kVersionNotSupported:
      return {505, "BadRequestException", "BadRequest"};
    case WireError::kServiceFailure:
      return {500, "ServiceFailureException", "ServiceFailure"};
    case WireError::kServiceUnavailable:
      return {503, "ServiceUnavailableException", "ServiceUnavailable"};
    // The Code is the closest value of Chime's ErrorCode enum.
    case WireError::kMissingAuthenticationToken:
      return {403, "MissingAuthenticationTokenException", "Forbidden"};
    case WireError::kIncompleteSignature:
      return {403, "IncompleteSignatureException", "Forbidden"};
    case WireError::kInvalidSignature:
      return {403, "InvalidSignatureException", "Forbidden"};
    case WireError::kUnrecognizedClient:
      return {403, "UnrecognizedClientException", "Unauthorized"};
    case WireError::kExpiredToken:
      return {403, "ExpiredTokenException", "Unauthorized"};
    case WireError::kUnauthorizedClient:
      return {401, "UnauthorizedClientException", "Unauthorized"};
    case WireError::kForbidden:
      return {403, "ForbiddenException", "Forbidden"};
    case WireError::kAccessDenied:
      return {403, "AccessDeniedException", "AccessDenied"};
    case WireError::kThrottledClient:
      return {429, "ThrottledClientException", "Throttled"};
  }
  return {500, "ServiceFailureException", "ServiceFailure"};
}

WireError WireErrorFor(const Error& error) {
  switch (error.kind()) {
    case ErrorKind::kBadRequest:
      return WireError::kBadRequest;
    case ErrorKind::kNotFound:
      return WireError::kNotFound;
    default:
      return WireError::kServiceFailure;
  }
}

std::string ErrorBody(std::string_view code, std::string_view message) {
  std::string body = "{\"Code\":";
  AppendJsonString(body, code);
  body.append(",\"Message\":");
  AppendJsonString(body, message);
  body.push_back('}');
  return body;
}

}  // namespace numberpool::http
