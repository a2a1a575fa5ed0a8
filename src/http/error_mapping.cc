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
    case WireError::kServiceFailure:
      return {500, "ServiceFailureException", "ServiceFailure"};
    case WireError::kServiceUnavailable:
      return {503, "ServiceUnavailableException", "ServiceUnavailable"};
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
