#include "bench/support/bench_util.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <deque>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace gazette::bench {

namespace {

double tv_seconds(const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

} // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::filesystem::path& log_path) {
    if (argv.empty()) {
        throw std::runtime_error("empty command");
    }
    // Build argv before fork: only async-signal-safe calls are allowed in the child.
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) {
        throw std::runtime_error("cannot open " + log_path.string() + ": " + std::strerror(errno));
    }
    start_ = Clock::now();
    pid_ = ::fork();
    if (pid_ < 0) {
        ::close(log_fd);
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid_ == 0) {
        ::dup2(log_fd, STDOUT_FILENO);
        ::dup2(log_fd, STDERR_FILENO);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(log_fd);
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0) {
        terminate();
    }
}

ProcessStats ChildProcess::wait() {
    ProcessStats s;
    if (pid_ <= 0) {
        return s;
    }
    int status = 0;
    rusage ru{};
    pid_t r = -1;
    do {
        r = ::wait4(pid_, &status, 0, &ru);
    } while (r < 0 && errno == EINTR);
    s.wall_s = seconds_since(start_);
    pid_ = -1;
    if (r < 0) {
        return s;
    }
    s.user_s = tv_seconds(ru.ru_utime);
    s.sys_s = tv_seconds(ru.ru_stime);
    s.max_rss_kb = ru.ru_maxrss;
    s.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return s;
}

ProcessStats ChildProcess::terminate() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
    }
    return wait();
}

ProcessStats run_process(const std::vector<std::string>& argv, const std::filesystem::path& log_path) {
    ChildProcess child(argv, log_path);
    return child.wait();
}

LatencySummary summarise(std::vector<double>& seconds) {
    LatencySummary s;
    s.count = seconds.size();
    if (seconds.empty()) {
        return s;
    }
    std::sort(seconds.begin(), seconds.end());
    auto at = [&](double q) {
        // Nearest-rank percentile.
        const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(seconds.size())));
        return seconds[std::min(seconds.size() - 1, rank == 0 ? 0 : rank - 1)] * 1e3;
    };
    double sum = 0;
    for (const double v : seconds) {
        sum += v;
    }
    s.mean_ms = sum / static_cast<double>(seconds.size()) * 1e3;
    s.p50_ms = at(0.50);
    s.p95_ms = at(0.95);
    s.p99_ms = at(0.99);
    s.max_ms = seconds.back() * 1e3;
    return s;
}

std::string machine_summary() {
    std::string cpu = "unknown";
    {
        std::ifstream in("/proc/cpuinfo");
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind("model name", 0) == 0) {
                cpu = line.substr(line.find(':') + 2);
                break;
            }
        }
    }
    double mem_gb = 0;
    {
        std::ifstream in("/proc/meminfo");
        std::string key;
        long kb = 0;
        while (in >> key >> kb) {
            if (key == "MemTotal:") {
                mem_gb = static_cast<double>(kb) / 1048576.0;
                break;
            }
            in.ignore(256, '\n');
        }
    }
    std::ostringstream out;
    out << "nproc=" << std::thread::hardware_concurrency() << ", CPU=" << cpu << ", MemTotal="
        << static_cast<int>(std::lround(mem_gb)) << " GB";
    std::ifstream load("/proc/loadavg");
    std::string l1;
    if (load >> l1) {
        out << ", loadavg(1m) at start=" << l1;
    }
    return out.str();
}

std::vector<std::string> read_lines(const std::filesystem::path& path, std::size_t limit) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        out.push_back(std::move(line));
        if (limit != 0 && out.size() >= limit) {
            break;
        }
    }
    return out;
}

std::size_t count_lines(const std::filesystem::path& path, std::uintmax_t& bytes) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    bytes = std::filesystem::file_size(path);
    std::size_t n = 0;
    std::string line;
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") != std::string::npos) {
            ++n;
        }
    }
    return n;
}

std::string url_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size() * 3);
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.' || c == '~') {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string tail_file(const std::filesystem::path& path, std::size_t n) {
    std::ifstream in(path);
    std::deque<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(std::move(line));
        if (lines.size() > n) {
            lines.pop_front();
        }
    }
    std::string out;
    for (const auto& l : lines) {
        out += l;
        out += '\n';
    }
    return out;
}

ScratchDir::ScratchDir(const std::filesystem::path& path) : path_(path) {
    if (path_.empty()) {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() /
                ("gazette-bench-" + std::to_string(::getpid()) + "-" + std::to_string(rd() % 1000000));
    }
    if (std::filesystem::exists(path_)) {
        throw std::runtime_error(path_.string() + " already exists; pass a fresh --work-dir");
    }
    std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
    if (!keep_) {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
}

} // namespace gazette::bench
