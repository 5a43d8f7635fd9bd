#pragma once
// Runs the real daemons for integration tests: fork/exec in their own process group, wait for
// the ready file (never sleep-and-hope), SIGTERM at the end and check the exit status.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gazette::test {

/// Runs a command to completion; returns its exit code, with stdout+stderr in `output`.
int run_command(const std::vector<std::string>& argv, std::string* output = nullptr);

class Daemon {
public:
    /// Starts argv (the ready file is passed by the caller in argv) and waits until `ready_file`
    /// holds a port, or fails the test after `timeout`.
    Daemon(std::vector<std::string> argv, std::filesystem::path ready_file, std::filesystem::path log_file,
           std::chrono::seconds timeout = std::chrono::seconds(30));
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    unsigned short port() const noexcept { return port_; }
    int pid() const noexcept { return pid_; }
    /// SIGTERM and wait; returns the exit status (exit code, or 128+signal).
    int stop(std::chrono::seconds timeout = std::chrono::seconds(20));
    /// SIGKILL the whole process group.
    void kill_hard();
    std::string log() const;

private:
    int pid_ = -1;
    unsigned short port_ = 0;
    std::filesystem::path log_file_;
};

} // namespace gazette::test
