#include "store/sqlite_inventory_store.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "common/file_util.h"

namespace numberpool::store {
namespace {

constexpr int kSchemaVersion = 2;

// CHECKs avoid IN (...) lists: SQLite evaluates those through a temporary b-tree per row,
// which made the seed's bulk insert three times slower.
constexpr char kSchema[] = R"sql(
CREATE TABLE meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE blocks(
  id INTEGER PRIMARY KEY,
  country TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type = 'Local' OR type = 'TollFree'),
  prefix TEXT NOT NULL,
  suffix_digits INTEGER NOT NULL CHECK (suffix_digits BETWEEN 1 AND 4),
  area_code TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  UNIQUE (prefix, suffix_digits)
);
-- number is the E.164 number's digits as an integer (unique, as E.164 has no leading zero);
-- an integer key inserts four times faster than text, which the seed's million rows notice.
-- status: 0 available, 1 reserved, 2 assigned.
CREATE TABLE numbers(
  number INTEGER PRIMARY KEY CHECK (number BETWEEN 10 AND 999999999999999),
  block_id INTEGER NOT NULL REFERENCES blocks(id),
  status INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 2)
);
CREATE VIEW numbers_e164(e164, country, type, area_code, state, city, status) AS
  SELECT '+' || n.number, b.country, b.type, b.area_code, b.state, b.city,
         CASE n.status WHEN 0 THEN 'available' WHEN 1 THEN 'reserved' ELSE 'assigned' END
  FROM numbers n JOIN blocks b ON b.id = n.block_id;
)sql";

constexpr int kAvailable = 0;
constexpr int kAssigned = 2;

// Owns a connection; turns SQLite's error codes into Errors naming the file.
class Db final {
 public:
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db() {
    if (db_) sqlite3_close_v2(db_);
  }

  static Result<std::unique_ptr<Db>> Open(const std::string& path, int flags) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    std::unique_ptr<Db> db(new Db(raw, path));
    if (rc != SQLITE_OK) return db->Fail("cannot open");
    sqlite3_busy_timeout(raw, 5000);
    return db;
  }

  Error Fail(const std::string& what) const {
    return Error(ErrorKind::kIo, what + " " + path_ + ": " + (db_ ? sqlite3_errmsg(db_) : "?"));
  }

  Status Exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
      return Fail("cannot update");
    return Ok{};
  }

  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }

  Status Close() {
    const int rc = sqlite3_close(db_);
    if (rc != SQLITE_OK) return Fail("cannot close");
    db_ = nullptr;
    return Ok{};
  }

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

// A prepared statement, finalized on destruction.
class Stmt final {
 public:
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(stmt_); }

  static Result<std::unique_ptr<Stmt>> Prepare(const Db& db, const char* sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db.get(), sql, -1, &raw, nullptr) != SQLITE_OK) {
      return db.Fail("cannot read");
    }
    return std::unique_ptr<Stmt>(new Stmt(raw));
  }

  sqlite3_stmt* get() const { return stmt_; }

  std::string Text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }

  void BindText(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }

 private:
  explicit Stmt(sqlite3_stmt* s) : stmt_(s) {}
  sqlite3_stmt* stmt_;
};

Error Corrupt(const std::string& path, const std::string& what) {
  return Error(ErrorKind::kCorrupt, path + " is corrupt: " + what);
}

Result<std::unique_ptr<Db>> OpenForReading(const std::string& path) {
  if (::access(path.c_str(), F_OK) != 0) {
    return Error(ErrorKind::kNotFound, "no inventory at " + path);
  }
  auto db = Db::Open(path, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.error();
  auto stmt = Stmt::Prepare(**db, "SELECT value FROM meta WHERE key = 'schema_version'");
  if (!stmt.ok()) return Corrupt(path, "it has no numberpool schema");
  if (sqlite3_step((*stmt)->get()) != SQLITE_ROW ||
      (*stmt)->Text(0) != std::to_string(kSchemaVersion)) {
    return Corrupt(path,
                   "unsupported schema version (expected " + std::to_string(kSchemaVersion) + ")");
  }
  return db;
}

Status Insert(Db& db, const inventory::Inventory& inv, const InventoryInfo& info) {
  if (Status s = db.Exec(kSchema); !s.ok()) return s;
  if (Status s = db.Exec("BEGIN"); !s.ok()) return s;
  {
    auto meta = Stmt::Prepare(db, "INSERT INTO meta(key, value) VALUES (?, ?)");
    if (!meta.ok()) return meta.error();
    for (const auto& [k, v] :
         {std::pair<std::string, std::string>{"schema_version", std::to_string(kSchemaVersion)},
          {"seed", std::to_string(info.seed)},
          {"per_block", std::to_string(info.per_block)},
          {"created_at", info.created_at}}) {
      (*meta)->BindText(1, k);
      (*meta)->BindText(2, v);
      if (sqlite3_step((*meta)->get()) != SQLITE_DONE) return db.Fail("cannot write");
      sqlite3_reset((*meta)->get());
    }
  }
  {
    auto stmt = Stmt::Prepare(db,
                              "INSERT INTO blocks(id, country, type, prefix, suffix_digits, "
                              "area_code, state, city) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt.ok()) return stmt.error();
    sqlite3_stmt* s = (*stmt)->get();
    for (size_t i = 0; i < inv.blocks.size(); ++i) {
      const numbering::BlockSpec& b = inv.blocks[i];
      sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(i));
      (*stmt)->BindText(2, b.region);
      (*stmt)->BindText(3, std::string(numbering::NumberTypeName(b.type)));
      (*stmt)->BindText(4, b.prefix);
      sqlite3_bind_int(s, 5, b.suffix_digits);
      (*stmt)->BindText(6, b.area_code);
      (*stmt)->BindText(7, b.state);
      (*stmt)->BindText(8, b.city);
      if (sqlite3_step(s) != SQLITE_DONE) return db.Fail("cannot write");
      sqlite3_reset(s);
    }
  }
  {
    auto stmt = Stmt::Prepare(db, "INSERT INTO numbers(number, block_id, status) VALUES (?, ?, ?)");
    if (!stmt.ok()) return stmt.error();
    sqlite3_stmt* s = (*stmt)->get();
    for (const inventory::InventoryNumber& n : inv.numbers) {
      sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(n.key % inventory::kValueLimit));
      sqlite3_bind_int64(s, 2, n.block);
      sqlite3_bind_int(s, 3, n.available ? kAvailable : kAssigned);
      if (sqlite3_step(s) != SQLITE_DONE) return db.Fail("cannot write");
      sqlite3_reset(s);
    }
  }
  return db.Exec("COMMIT");
}

}  // namespace

Result<std::unique_ptr<SqliteInventoryStore>> SqliteInventoryStore::Open(
    const std::string& data_dir) {
  if (Status s = EnsureDirectory(data_dir); !s.ok()) return s.error();
  return std::unique_ptr<SqliteInventoryStore>(
      new SqliteInventoryStore(data_dir + "/inventory.sqlite3"));
}

Result<bool> SqliteInventoryStore::Exists() const {
  if (::access(path_.c_str(), F_OK) != 0) return false;
  auto db = OpenForReading(path_);
  if (!db.ok()) return db.error();
  return true;
}

Result<InventoryInfo> SqliteInventoryStore::Info() const {
  auto db = OpenForReading(path_);
  if (!db.ok()) return db.error();
  auto stmt = Stmt::Prepare(**db, "SELECT key, value FROM meta");
  if (!stmt.ok()) return stmt.error();
  InventoryInfo info;
  while (sqlite3_step((*stmt)->get()) == SQLITE_ROW) {
    const std::string k = (*stmt)->Text(0);
    const std::string v = (*stmt)->Text(1);
    if (k == "seed") info.seed = std::strtoull(v.c_str(), nullptr, 10);
    if (k == "per_block") info.per_block = std::atoi(v.c_str());
    if (k == "created_at") info.created_at = v;
  }
  return info;
}

Result<inventory::Inventory> SqliteInventoryStore::Load() const {
  auto db = OpenForReading(path_);
  if (!db.ok()) return db.error();
  inventory::Inventory inv;
  {
    auto stmt = Stmt::Prepare(**db,
                              "SELECT id, country, type, prefix, suffix_digits, area_code, "
                              "state, city FROM blocks ORDER BY id");
    if (!stmt.ok()) return stmt.error();
    sqlite3_stmt* s = (*stmt)->get();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      if (sqlite3_column_int64(s, 0) != static_cast<sqlite3_int64>(inv.blocks.size())) {
        return Corrupt(path_, "block ids are not 0, 1, 2, ...");
      }
      numbering::BlockSpec b;
      b.region = (*stmt)->Text(1);
      const auto type = numbering::ParseNumberType((*stmt)->Text(2));
      if (!type)
        return Corrupt(path_,
                       "block " + std::to_string(inv.blocks.size()) + " has an unknown type");
      b.type = *type;
      b.prefix = (*stmt)->Text(3);
      b.suffix_digits = sqlite3_column_int(s, 4);
      b.area_code = (*stmt)->Text(5);
      b.state = (*stmt)->Text(6);
      b.city = (*stmt)->Text(7);
      if (!numbering::IsSupportedRegion(b.region)) {
        return Corrupt(path_, "block +" + b.prefix + " has an unknown country '" + b.region + "'");
      }
      inv.blocks.push_back(std::move(b));
    }
    if (rc != SQLITE_DONE) return (*db)->Fail("cannot read");
  }
  {
    auto stmt = Stmt::Prepare(**db, "SELECT number, block_id, status FROM numbers");
    if (!stmt.ok()) return stmt.error();
    sqlite3_stmt* s = (*stmt)->get();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      const sqlite3_int64 number = sqlite3_column_int64(s, 0);
      const auto key = inventory::KeyFromDigits(std::to_string(number));
      if (!key || sqlite3_column_type(s, 0) != SQLITE_INTEGER) {
        return Corrupt(path_, "number " + (*stmt)->Text(0) + " is not an E.164 number");
      }
      const sqlite3_int64 block = sqlite3_column_int64(s, 1);
      if (block < 0 || static_cast<size_t>(block) >= inv.blocks.size()) {
        return Corrupt(path_, "+" + std::to_string(number) + " refers to a missing block");
      }
      inv.numbers.push_back(
          {*key, static_cast<uint32_t>(block), sqlite3_column_int(s, 2) == kAvailable});
    }
    if (rc != SQLITE_DONE) return (*db)->Fail("cannot read");
  }
  // SQLite orders by value; the API's order is by length, then value.
  std::sort(inv.numbers.begin(), inv.numbers.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  return inv;
}

Status SqliteInventoryStore::Replace(const inventory::Inventory& inventory,
                                     const InventoryInfo& info) {
  const std::string tmp = path_ + ".new-" + std::to_string(::getpid());
  ::unlink(tmp.c_str());
  {
    auto db = Db::Open(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!db.ok()) return db.error();
    // The file is private until renamed, and synced before that, so SQLite's own journal
    // would only slow the bulk load down.
    if (Status s = (*db)->Exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF"); !s.ok()) {
      return s;
    }
    if (Status s = Insert(**db, inventory, info); !s.ok()) {
      (void)(*db)->Close();
      ::unlink(tmp.c_str());
      return s;
    }
    if (Status s = (*db)->Close(); !s.ok()) return s;
  }
  ::chmod(tmp.c_str(), 0644);
  if (Status s = SyncPath(tmp); !s.ok()) return s;
  return RenameDurably(tmp, path_);
}

}  // namespace numberpool::store
