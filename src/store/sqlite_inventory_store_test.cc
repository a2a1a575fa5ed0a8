#include "store/sqlite_inventory_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>

#include "testing/sample_inventory.h"
#include "testing/temp_dir.h"

namespace numberpool::store {
namespace {

class SqliteInventoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_.path();
    auto store = SqliteInventoryStore::Open(dir_ + "/data");
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
  }

  void Exec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(store_->path().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
    sqlite3_close(db);
  }

  numberpool::testing::TempDir temp_;
  std::string dir_;
  std::unique_ptr<SqliteInventoryStore> store_;
};

TEST_F(SqliteInventoryStoreTest, EmptyDataDirHasNoInventory) {
  auto exists = store_->Exists();
  ASSERT_TRUE(exists.ok());
  EXPECT_FALSE(*exists);
  EXPECT_EQ(store_->Load().error().kind(), ErrorKind::kNotFound);
}

TEST_F(SqliteInventoryStoreTest, RoundTripsAnInventory) {
  inventory::Inventory inv = numberpool::testing::SampleInventory();
  inv.numbers[3].available = false;
  ASSERT_TRUE(store_->Replace(inv, {42, 4, "2026-12-03T00:00:00Z"}).ok());
  EXPECT_TRUE(*store_->Exists());
  auto loaded = store_->Load();
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  ASSERT_EQ(loaded->blocks.size(), inv.blocks.size());
  for (size_t i = 0; i < inv.blocks.size(); ++i) {
    EXPECT_EQ(loaded->blocks[i].prefix, inv.blocks[i].prefix);
    EXPECT_EQ(loaded->blocks[i].region, inv.blocks[i].region);
    EXPECT_EQ(loaded->blocks[i].type, inv.blocks[i].type);
    EXPECT_EQ(loaded->blocks[i].suffix_digits, inv.blocks[i].suffix_digits);
    EXPECT_EQ(loaded->blocks[i].area_code, inv.blocks[i].area_code);
    EXPECT_EQ(loaded->blocks[i].state, inv.blocks[i].state);
    EXPECT_EQ(loaded->blocks[i].city, inv.blocks[i].city);
  }
  ASSERT_EQ(loaded->numbers.size(), inv.numbers.size());
  for (size_t i = 0; i < inv.numbers.size(); ++i) {
    EXPECT_EQ(loaded->numbers[i].key, inv.numbers[i].key);
    EXPECT_EQ(loaded->numbers[i].block, inv.numbers[i].block);
    EXPECT_EQ(loaded->numbers[i].available, inv.numbers[i].available);
  }
  auto info = store_->Info();
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->seed, 42u);
  EXPECT_EQ(info->per_block, 4);
}

TEST_F(SqliteInventoryStoreTest, ReplaceSwapsTheWholeInventoryAndLeavesNoTemporaryFile) {
  inventory::Inventory first = numberpool::testing::SampleInventory();
  ASSERT_TRUE(store_->Replace(first, {1, 4, "t"}).ok());
  inventory::Inventory second = first;
  second.numbers.resize(2);
  ASSERT_TRUE(store_->Replace(second, {2, 4, "t"}).ok());
  EXPECT_EQ(store_->Load()->numbers.size(), 2u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_ + "/data"), {}), 1);
}

TEST_F(SqliteInventoryStoreTest, ReportsCorruptData) {
  ASSERT_TRUE(store_->Replace(numberpool::testing::SampleInventory(), {1, 4, "t"}).ok());
  Exec("UPDATE blocks SET country = 'QQ' WHERE id = 0");
  auto loaded = store_->Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().kind(), ErrorKind::kCorrupt);
  EXPECT_NE(loaded.error().message().find("QQ"), std::string::npos);
}

TEST_F(SqliteInventoryStoreTest, ReportsANumberInAMissingBlock) {
  ASSERT_TRUE(store_->Replace(numberpool::testing::SampleInventory(), {1, 4, "t"}).ok());
  Exec("INSERT INTO numbers(number, block_id, status) VALUES (12069990000, 99, 0)");
  EXPECT_EQ(store_->Load().error().kind(), ErrorKind::kCorrupt);
}

TEST_F(SqliteInventoryStoreTest, ReportsAFileThatIsNotAnInventory) {
  std::filesystem::create_directories(dir_ + "/data");
  ASSERT_TRUE(std::system(("echo garbage > " + store_->path()).c_str()) == 0);
  auto exists = store_->Exists();
  ASSERT_FALSE(exists.ok());
  auto loaded = store_->Load();
  ASSERT_FALSE(loaded.ok());
}

}  // namespace
}  // namespace numberpool::store
