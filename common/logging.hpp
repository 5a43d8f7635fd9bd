#pragma once
/// spdlog setup: one named logger per subsystem ("http", "search", "index", "ingest", "jobs").

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace gazette {

/// Initialises the default sink (stderr, or a file), the level (`level`, overridden by the
/// SPDLOG_LEVEL environment variable) and the subsystem loggers. Safe to call twice.
void init_logging(const std::string& level, bool json = false);

/// Named logger for a subsystem; created on first use with the default sinks.
std::shared_ptr<spdlog::logger> logger(const std::string& name);

} // namespace gazette
