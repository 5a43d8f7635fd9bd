#include "common/logging.hpp"

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <mutex>

namespace gazette {

namespace {
std::mutex g_logging_mutex;
}

void init_logging(const std::string& level, bool /*json*/) {
    std::lock_guard lock(g_logging_mutex);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
    spdlog::set_level(spdlog::level::from_str(level));
    spdlog::cfg::load_env_levels(); // SPDLOG_LEVEL overrides the config
}

std::shared_ptr<spdlog::logger> logger(const std::string& name) {
    if (auto existing = spdlog::get(name)) {
        return existing;
    }
    std::lock_guard lock(g_logging_mutex);
    if (auto existing = spdlog::get(name)) {
        return existing;
    }
    auto created = spdlog::stderr_color_mt(name);
    created->set_level(spdlog::get_level());
    return created;
}

} // namespace gazette
