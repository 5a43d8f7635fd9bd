#include "support/process.hpp"

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace gazette::test {

namespace {

std::vector<char*> to_argv(std::vector<std::string>& args) {
    std::vector<char*> out;
    for (auto& a : args) {
        out.push_back(a.data());
    }
    out.push_back(nullptr);
    return out;
}

int decode_status(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return -1;
}

} // namespace

int run_command(const std::vector<std::string>& argv, std::string* output) {
    int pipefd[2];
    if (::pipe(pipefd) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(pipefd[1], 1);
        ::dup2(pipefd[1], 2);
        ::close(pipefd[0]);
        ::close(pipefd[1]);
        auto args = argv;
        auto cargs = to_argv(args);
        ::execv(cargs[0], cargs.data());
        std::perror("execv");
        ::_exit(127);
    }
    ::close(pipefd[1]);
    std::string out;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0) {
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(pipefd[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (output != nullptr) {
        *output = std::move(out);
    }
    return decode_status(status);
}

Daemon::Daemon(std::vector<std::string> argv, std::filesystem::path ready_file, std::filesystem::path log_file,
               std::chrono::seconds timeout)
    : log_file_(std::move(log_file)) {
    std::filesystem::remove(ready_file);
    pid_ = ::fork();
    if (pid_ == 0) {
        ::setpgid(0, 0);
        const int fd = ::open(log_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        auto cargs = to_argv(argv);
        ::execv(cargs[0], cargs.data());
        std::perror("execv");
        ::_exit(127);
    }
    ::setpgid(pid_, pid_);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream in(ready_file);
        unsigned port = 0;
        if (in >> port && port > 0) {
            port_ = static_cast<unsigned short>(port);
            return;
        }
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("daemon exited before it was ready: " + log());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill_hard();
    throw std::runtime_error("daemon not ready in time: " + log());
}

Daemon::~Daemon() {
    if (pid_ > 0) {
        kill_hard();
    }
}

int Daemon::stop(std::chrono::seconds timeout) {
    if (pid_ <= 0) {
        return -1;
    }
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return decode_status(status);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill_hard();
    return -2;
}

void Daemon::kill_hard() {
    if (pid_ <= 0) {
        return;
    }
    ::kill(-pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

std::string Daemon::log() const {
    std::ifstream in(log_file_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace gazette::test
