#include "httpd/detail/request_id.hpp"

#include <fmt/format.h>

#include <random>

namespace gazette::httpd::detail {

RequestIdGenerator::RequestIdGenerator() : prefix_(std::random_device{}()) {}

std::string RequestIdGenerator::next() {
    const std::uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed) + 1;
    return fmt::format("{:08x}-{:06x}", prefix_, n);
}

} // namespace gazette::httpd::detail
