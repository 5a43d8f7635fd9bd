#include "serve_daemon.hpp"

#include <xapian.h>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace gazette::test {

namespace {

using Clock = std::chrono::steady_clock;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool send_all(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const auto n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            return false;
        }
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

std::string lower(std::string s) {
    for (auto& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

} // namespace

TempDir::TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/gazette-serve-it-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
    }
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

HttpResponse http_request(unsigned short port, const std::string& method, const std::string& target,
                          const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
                          std::chrono::milliseconds timeout) {
    HttpResponse out;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return out;
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        return out;
    }
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    for (const auto& [k, v] : headers) {
        req += k + ": " + v + "\r\n";
    }
    if (!body.empty() || method == "POST") {
        req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    req += "\r\n" + body;
    if (!send_all(fd, req)) {
        return out;
    }
    std::string raw;
    char buf[16384];
    for (;;) {
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0) {
            return out; // timeout or reset: no complete answer
        }
        if (n == 0) {
            break;
        }
        raw.append(buf, static_cast<std::size_t>(n));
    }
    const auto head_end = raw.find("\r\n\r\n");
    if (head_end == std::string::npos || raw.rfind("HTTP/1.", 0) != 0) {
        return out;
    }
    std::istringstream head(raw.substr(0, head_end));
    std::string line;
    std::getline(head, line);
    const auto sp = line.find(' ');
    int status = sp == std::string::npos ? 0 : std::atoi(line.c_str() + sp + 1);
    std::size_t content_length = std::string::npos;
    while (std::getline(head, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        const auto colon = line.find(':');
        if (colon == std::string::npos) {
            continue;
        }
        auto name = lower(line.substr(0, colon));
        auto value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') {
            value.erase(0, 1);
        }
        if (name == "content-length") {
            content_length = std::stoul(value);
        }
        out.headers.emplace_back(std::move(name), std::move(value));
    }
    out.body = raw.substr(head_end + 4);
    if (content_length != std::string::npos && out.body.size() < content_length) {
        return HttpResponse{}; // truncated: the daemon died mid-response
    }
    out.status = status;
    return out;
}

ServeDaemon::ServeDaemon(fs::path dir, unsigned commit_interval_ms) : dir_(std::move(dir)) {
    fs::create_directories(dir_);
    std::ofstream cfg(config_path());
    cfg << "data_dir = \"" << data_dir().string() << "\"\n"
        << "topics_file = \"" << GAZETTE_TOPICS_FILE << "\"\n"
        << "[indexer]\n"
        << "commit_interval_ms = " << commit_interval_ms << "\n"
        << "inbox_poll_ms = 50\n"
        << "threads = 1\n"
        << "[[keys]]\nname = \"it-admin\"\nkey = \"" << kAdminKey << "\"\nscopes = [\"admin\"]\n"
        << "[[keys]]\nname = \"it-search\"\nkey = \"search-only-key\"\nscopes = [\"search\"]\n";
}

ServeDaemon::~ServeDaemon() {
    if (pid_ > 0) {
        kill9();
    }
}

void ServeDaemon::start() {
    const fs::path ready = dir_ / "ready";
    fs::remove(ready);
    const std::string out_path = (dir_ / ("stdout-" + std::to_string(++starts_) + ".log")).string();
    const std::string err_path = (dir_ / "stderr.log").string();
    const std::string cfg = config_path().string();
    const std::string ready_s = ready.string();
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        ::setpgid(0, 0); // its own process group, so a kill reaches only the daemon
        const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        ::dup2(out, 1);
        ::dup2(err, 2);
        ::execl(GAZETTE_INDEXER_BIN, GAZETTE_INDEXER_BIN, "serve", "--config", cfg.c_str(), "--admin-listen",
                "127.0.0.1:0", "--ready-file", ready_s.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::setpgid(pid, pid);
    pid_ = pid;
    const auto deadline = Clock::now() + std::chrono::seconds(15);
    while (Clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("gazette-indexer serve exited during startup:\n" + log());
        }
        if (fs::exists(ready)) {
            const std::string s = slurp(ready);
            if (!s.empty() && s.back() == '\n') {
                port_ = static_cast<unsigned short>(std::stoul(s));
                return;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    kill9();
    throw std::runtime_error("gazette-indexer serve did not write its ready file:\n" + log());
}

bool ServeDaemon::wait_ready(std::chrono::milliseconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (http_request(port_, "GET", "/readyz", {}, {}, std::chrono::seconds(2)).status == 200) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

void ServeDaemon::kill9() {
    if (pid_ <= 0) {
        return;
    }
    ::kill(-pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

void ServeDaemon::signal(int signo) const {
    if (pid_ > 0) {
        ::kill(-pid_, signo);
    }
}

int ServeDaemon::terminate(std::chrono::milliseconds timeout) {
    if (pid_ <= 0) {
        return -1;
    }
    ::kill(-pid_, SIGTERM);
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill9();
    return -1;
}

std::string ServeDaemon::log() const { return slurp(dir_ / "stderr.log"); }

HttpResponse ServeDaemon::admin(const std::string& method, const std::string& target, const std::string& body,
                                const std::string& content_type) const {
    std::vector<std::pair<std::string, std::string>> headers{{"Authorization", std::string("Bearer ") + kAdminKey}};
    if (!body.empty()) {
        headers.emplace_back("Content-Type", content_type);
    }
    return http_request(port_, method, target, headers, body);
}

unsigned id_count(const fs::path& data_dir, const std::string& id) {
    Xapian::Database db((data_dir / "live.stub").string());
    return db.get_termfreq("Q" + id);
}

std::string article_line(const std::string& id, const std::string& words) {
    return "{\"id\":\"" + id + "\",\"title\":\"Article " + id + "\",\"body\":\"" + words + " " + id +
           "\",\"source\":\"it\",\"date\":\"2024-05-16\"}\n";
}

} // namespace gazette::test
