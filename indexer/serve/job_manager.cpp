#include "indexer/serve/job_manager.hpp"

#include "common/data_dir.hpp"
#include "common/dates.hpp"
#include "common/logging.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>

namespace fs = std::filesystem;

namespace gazette::indexer::serve {

namespace {

std::optional<JobState> state_from_name(std::string_view s) {
    for (auto st : {JobState::queued, JobState::running, JobState::succeeded, JobState::failed, JobState::cancelled}) {
        if (s == job_state_name(st)) {
            return st;
        }
    }
    return std::nullopt;
}

bool finished(JobState s) { return s == JobState::succeeded || s == JobState::failed || s == JobState::cancelled; }

boost::json::object to_object(const JobInfo& j) {
    boost::json::object o;
    o["id"] = j.id;
    o["kind"] = j.kind;
    o["state"] = job_state_name(j.state);
    o["created"] = j.created;
    o["started"] = j.started.empty() ? boost::json::value(nullptr) : boost::json::value(j.started);
    o["finished"] = j.finished.empty() ? boost::json::value(nullptr) : boost::json::value(j.finished);
    o["processed"] = j.processed;
    o["total"] = j.total;
    o["rate"] = j.rate;
    o["eta_s"] = j.eta_s < 0 ? boost::json::value(nullptr) : boost::json::value(j.eta_s);
    o["errors"] = j.errors;
    o["generation"] = j.generation.empty() ? boost::json::value(nullptr) : boost::json::value(j.generation);
    if (!j.outcome.empty()) {
        o["outcome"] = j.outcome;
    }
    if (!j.message.empty()) {
        o["message"] = j.message;
    }
    boost::json::object params;
    for (const auto& [k, v] : j.params) {
        params[k] = v;
    }
    o["params"] = std::move(params);
    return o;
}

std::string str(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::uint64_t num(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) {
        return 0;
    }
    if (v->is_uint64()) {
        return v->get_uint64();
    }
    if (v->is_int64() && v->get_int64() >= 0) {
        return static_cast<std::uint64_t>(v->get_int64());
    }
    return 0;
}

} // namespace

const char* job_state_name(JobState state) noexcept {
    switch (state) {
    case JobState::queued:
        return "queued";
    case JobState::running:
        return "running";
    case JobState::succeeded:
        return "succeeded";
    case JobState::failed:
        return "failed";
    case JobState::cancelled:
        return "cancelled";
    }
    return "unknown";
}

std::string job_to_json(const JobInfo& job) { return boost::json::serialize(to_object(job)); }

JobManager::JobManager(fs::path dir, std::map<std::string, JobFn> kinds) : dir_(std::move(dir)), kinds_(std::move(kinds)) {
    fs::create_directories(dir_);
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir_, ec)) {
        const auto name = e.path().filename().string();
        if (!e.is_regular_file() || e.path().extension() != ".json" || name[0] != 'j') {
            continue;
        }
        try {
            const auto v = boost::json::parse(read_file(e.path()));
            const auto& o = v.as_object();
            auto job = std::make_shared<Job>();
            auto& info = job->info;
            info.id = str(o, "id");
            info.kind = str(o, "kind");
            info.state = state_from_name(str(o, "state")).value_or(JobState::failed);
            info.created = str(o, "created");
            info.started = str(o, "started");
            info.finished = str(o, "finished");
            info.processed = num(o, "processed");
            info.total = num(o, "total");
            info.errors = num(o, "errors");
            info.generation = str(o, "generation");
            info.outcome = str(o, "outcome");
            info.message = str(o, "message");
            if (const auto* p = o.if_contains("params"); p != nullptr && p->is_object()) {
                for (const auto& [k, pv] : p->as_object()) {
                    if (pv.is_string()) {
                        info.params[std::string(k)] = std::string(pv.get_string());
                    }
                }
            }
            if (info.id.empty()) {
                continue;
            }
            if (!finished(info.state)) {
                info.state = JobState::failed;
                info.finished = dates::now_iso8601();
                info.message = "interrupted: the daemon stopped before the job finished";
                persist(info);
            }
            try {
                next_number_ = std::max(next_number_, std::stoul(info.id.substr(1)) + 1); // "j000012"
            } catch (const std::exception&) {
                // not one of our numbered ids; it cannot collide with new ones
            }
            jobs_[info.id] = std::move(job);
        } catch (const std::exception& ex) {
            logger("jobs")->warn("ignoring unreadable job file {}: {}", e.path().string(), ex.what());
        }
    }
    thread_ = std::thread([this] { run(); });
}

JobManager::~JobManager() { shutdown(); }

void JobManager::persist(const JobInfo& info) const {
    // The API thread and the job thread may save the same job at once. Saves are serialised,
    // and each writes the job's state as of now (not the caller's possibly older snapshot), so
    // the last file written is always the newest state.
    std::lock_guard persist_lock(persist_mutex_);
    JobInfo latest = info;
    {
        std::lock_guard lock(mutex_);
        if (const auto it = jobs_.find(info.id); it != jobs_.end()) {
            latest = snapshot(*it->second);
        }
    }
    try {
        write_file_atomic(dir_ / (latest.id + ".json"), job_to_json(latest) + "\n");
    } catch (const std::exception& e) {
        logger("jobs")->error("cannot persist job {}: {}", latest.id, e.what());
    }
}

JobInfo JobManager::snapshot(const Job& job) const {
    JobInfo info = job.info;
    if (job.progress && info.state == JobState::running) {
        const auto s = job.progress->snapshot();
        info.processed = s.processed;
        info.total = s.total;
        info.errors = s.errors;
        info.rate = s.rate;
        info.eta_s = s.eta_s;
    }
    return info;
}

Result<JobInfo> JobManager::start(const std::string& kind, JobParams params) {
    if (kinds_.find(kind) == kinds_.end()) {
        std::string known;
        for (const auto& [k, fn] : kinds_) {
            known += known.empty() ? k : ", " + k;
        }
        return Error(ErrorCode::not_found, fmt::format("unknown job kind '{}' (available: {})", kind, known));
    }
    auto job = std::make_shared<Job>();
    JobInfo info;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return Error(ErrorCode::not_ready, "the daemon is shutting down");
        }
        job->info.id = fmt::format("j{:06d}", next_number_++);
        job->info.kind = kind;
        job->info.state = JobState::queued;
        job->info.created = dates::now_iso8601();
        job->info.params = std::move(params);
        jobs_[job->info.id] = job;
        queue_.push_back(job);
        info = job->info;
    }
    persist(info);
    wake_.notify_one();
    logger("jobs")->info("job {} queued: kind={}", info.id, kind);
    return info;
}

std::optional<JobInfo> JobManager::get(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto it = jobs_.find(id);
    if (it == jobs_.end()) {
        return std::nullopt;
    }
    return snapshot(*it->second);
}

std::vector<JobInfo> JobManager::list() const {
    std::vector<JobInfo> out;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, job] : jobs_) {
            out.push_back(snapshot(*job));
        }
    }
    std::reverse(out.begin(), out.end()); // ids sort by creation; newest first
    return out;
}

Result<JobInfo> JobManager::cancel(const std::string& id) {
    JobInfo info;
    bool changed = false;
    {
        std::lock_guard lock(mutex_);
        const auto it = jobs_.find(id);
        if (it == jobs_.end()) {
            return Error(ErrorCode::not_found, fmt::format("no job '{}'", id));
        }
        auto& job = *it->second;
        if (finished(job.info.state)) {
            return Error(ErrorCode::conflict, fmt::format("job {} already {}", id, job_state_name(job.info.state)));
        }
        job.cancel.store(true);
        if (job.info.state == JobState::queued) {
            job.info.state = JobState::cancelled;
            job.info.finished = dates::now_iso8601();
            job.info.message = "cancelled before it started";
            queue_.erase(std::remove(queue_.begin(), queue_.end(), it->second), queue_.end());
            changed = true;
        }
        info = snapshot(job);
    }
    if (changed) {
        persist(info);
    }
    logger("jobs")->info("job {} cancel requested", id);
    return info;
}

bool JobManager::busy() const {
    std::lock_guard lock(mutex_);
    return running_ != nullptr || !queue_.empty();
}

std::vector<std::string> JobManager::kinds() const {
    std::vector<std::string> out;
    for (const auto& [k, fn] : kinds_) {
        out.push_back(k);
    }
    return out;
}

void JobManager::shutdown() {
    std::vector<JobInfo> cancelled;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        for (auto& job : queue_) {
            job->info.state = JobState::cancelled;
            job->info.finished = dates::now_iso8601();
            job->info.message = "cancelled: the daemon stopped";
            cancelled.push_back(job->info);
        }
        queue_.clear();
        if (running_) {
            running_->cancel.store(true);
        }
    }
    for (const auto& info : cancelled) {
        persist(info);
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void JobManager::run() {
    for (;;) {
        std::shared_ptr<Job> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) {
                return;
            }
            job = queue_.front();
            queue_.pop_front();
            job->progress = std::make_unique<Progress>(job->info.kind, 0, nullptr);
            job->info.state = JobState::running;
            job->info.started = dates::now_iso8601();
            running_ = job;
        }
        persist(snapshot(*job));
        logger("jobs")->info("job {} started: kind={}", job->info.id, job->info.kind);
        Result<JobResult> result = Error(ErrorCode::internal, "job did not run");
        try {
            result = kinds_.at(job->info.kind)(job->info.params, *job->progress, job->cancel);
        } catch (const std::exception& e) {
            result = Error(ErrorCode::internal, e.what());
        } catch (...) {
            result = Error(ErrorCode::internal, "unknown exception");
        }
        JobInfo info;
        {
            std::lock_guard lock(mutex_);
            info = snapshot(*job); // last progress figures
            info.finished = dates::now_iso8601();
            if (!result) {
                info.state = JobState::failed;
                info.message = result.error().message;
            } else {
                info.generation = result->generation;
                info.outcome = result->outcome;
                info.message = result->message;
                info.state = result->cancelled ? JobState::cancelled
                             : result->failed  ? JobState::failed
                                               : JobState::succeeded;
            }
            info.eta_s = finished(info.state) ? 0 : info.eta_s;
            job->info = info;
            job->progress.reset();
            running_.reset();
        }
        persist(info);
        logger("jobs")->info("job {} {}: {}", info.id, job_state_name(info.state), info.message);
    }
}

} // namespace gazette::indexer::serve
