#include "indexer/replica/replicate_tool.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <spawn.h>
#include <sys/wait.h>
#include <vector>

extern char** environ;

namespace gazette::indexer::replica {

Result<void> replicate_once(const ReplicateSettings& settings,
                            const std::string& master,
                            const std::filesystem::path& target) {
    std::vector<std::string> args = {settings.binary,
                                     "--one-shot",
                                     "--host=" + settings.host,
                                     "--port=" + settings.port,
                                     "--master=" + master,
                                     "--reader-time=" + std::to_string(settings.reader_time_s),
                                     "--timeout=" + std::to_string(settings.timeout_s)};
    if (settings.quiet) {
        args.emplace_back("--quiet");
    }
    args.push_back(target.string());
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);

    pid_t pid = -1;
    const int rc =
        ::posix_spawnp(&pid, settings.binary.c_str(), nullptr, nullptr, argv.data(), environ);
    if (rc != 0) {
        return Error(ErrorCode::internal,
                     fmt::format("cannot run {}: {} (install xapian-tools)",
                                 settings.binary,
                                 std::strerror(rc)));
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return Error(ErrorCode::internal,
                         fmt::format("waitpid({}): {}", settings.binary, std::strerror(errno)));
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return {};
    }
    return Error(ErrorCode::not_ready,
                 fmt::format("{} of '{}' from {}:{} failed ({} {})",
                             settings.binary,
                             master,
                             settings.host,
                             settings.port,
                             WIFEXITED(status) ? "exit code" : "signal",
                             WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status)));
}

} // namespace gazette::indexer::replica
