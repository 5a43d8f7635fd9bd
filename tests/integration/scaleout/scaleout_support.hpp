#pragma once
// Helpers for the scale-out tests: free loopback ports, xapian-tools lookup, polling searchd.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

namespace gazette::test {

/// A TCP port that was free on 127.0.0.1 a moment ago (bind to 0, read it, close).
unsigned short free_port();

/// Full path of a program found in PATH, or "" when absent.
std::string find_program(const std::string& name);

/// Polls `done` every 50 ms until it returns true or `timeout` passes.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

/// argv for a daemon without a ready file of its own: a shell writes `ready` (the port the
/// test chose) and then execs the program, so support::Daemon can start and stop it.
std::vector<std::string> with_ready_file(const std::filesystem::path& ready,
                                         unsigned short port,
                                         const std::vector<std::string>& argv);

} // namespace gazette::test
