// numberpool/common/result.h
//
// Error and Result<T>: the value-or-error type every fallible function returns. No exception
// crosses a module boundary; adapters turn library exceptions into an Error.
//
// Thread-safety: plain value types; safe to use from any thread, not to share mutably.

#ifndef NUMBERPOOL_COMMON_RESULT_H_
#define NUMBERPOOL_COMMON_RESULT_H_

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace numberpool {

// What went wrong, in terms the outermost layer can map to a status (see http/error_mapping.h).
enum class ErrorKind {
  kBadRequest,  // the caller's input breaks a rule; the message names the field
  kNotFound,
  kIo,        // reading or writing the data dir failed
  kCorrupt,   // stored data does not meet its invariants
  kInternal,  // a broken assumption inside numberpool
};

class [[nodiscard]] Error final {
 public:
  Error(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }

 private:
  ErrorKind kind_;
  std::string message_;
};

inline Error BadRequest(std::string message) {
  return {ErrorKind::kBadRequest, std::move(message)};
}

// Result<T> holds either a T or an Error. Accessing the wrong alternative is a programming error.
template <typename T>
class [[nodiscard]] Result final {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

// Status: a Result with no value.
struct Ok final {};
using Status = Result<Ok>;

}  // namespace numberpool

#endif  // NUMBERPOOL_COMMON_RESULT_H_
