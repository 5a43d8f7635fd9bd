#pragma once
/// Request ids: a random per-process prefix plus a counter, so ids from two daemons (or two
/// restarts) behind one load balancer do not collide in merged logs.

#include <atomic>
#include <cstdint>
#include <string>

namespace gazette::httpd::detail {

class RequestIdGenerator {
public:
    RequestIdGenerator();
    /// "8f3a01c2-00002a": unique for this generator's life. Thread-safe.
    std::string next();

private:
    std::uint32_t prefix_;
    std::atomic<std::uint64_t> counter_{0};
};

} // namespace gazette::httpd::detail
