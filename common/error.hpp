#pragma once
/// Error values for expected failures (bad input, bad config, bad query).
/// Environment and library failures (I/O, Xapian::Error) are exceptions instead.

#include <boost/system/result.hpp>

#include <stdexcept>
#include <string>
#include <utility>

namespace gazette {

/// Domain error codes. Never HTTP numbers: searchd maps them in one place.
enum class ErrorCode {
    bad_request,      ///< a parameter is malformed or out of range
    bad_query,        ///< the query string cannot be parsed
    bad_json,         ///< malformed JSON
    bad_utf8,         ///< text is not valid UTF-8
    bad_article,      ///< an article misses a required field or has a wrong type
    too_large,        ///< an input exceeds a size limit
    too_complex,      ///< a query exceeds term, depth or wildcard limits
    not_found,        ///< an id, generation or path does not exist
    bad_config,       ///< a configuration file or key is invalid
    unsupported,      ///< a format or media type is not supported
    unauthorized,     ///< a key is missing or unknown
    forbidden,        ///< a key lacks the scope
    rate_limited,     ///< too many requests
    overloaded,       ///< a queue is full
    timeout,          ///< a time budget was exceeded
    not_ready,        ///< no index is available yet
    conflict,         ///< state does not allow the operation
    internal,         ///< a bug or an unexpected failure
};

/// Name of a code as used in JSON error bodies (`"bad_query"`).
const char* error_code_name(ErrorCode code) noexcept;

/// An expected failure: what went wrong, where (field, file:line, query offset), and a message.
struct Error {
    ErrorCode code = ErrorCode::internal;
    std::string message;
    std::string location; ///< field name, "file:line", or empty
    long position = -1;   ///< character offset in a query, or -1

    Error() = default;
    Error(ErrorCode c, std::string msg, std::string loc = {}, long pos = -1)
        : code(c), message(std::move(msg)), location(std::move(loc)), position(pos) {}
};

/// Thrown by `Result<T>::value()` on an error; carries the Error.
class ErrorException : public std::runtime_error {
public:
    explicit ErrorException(Error e) : std::runtime_error(e.message), error_(std::move(e)) {}
    const Error& error() const noexcept { return error_; }

private:
    Error error_;
};

/// Lets boost::system::result<T, Error>::value() throw.
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;

} // namespace gazette
