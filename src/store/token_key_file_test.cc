#include "store/token_key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "common/file_util.h"
#include "testing/temp_dir.h"

namespace numberpool::store {
namespace {

TEST(TokenKeyFile, CreatesOnceAndKeepsIt) {
  const numberpool::testing::TempDir temp;
  const std::string& dir = temp.path();
  auto first = LoadOrCreateTokenKey(dir);
  ASSERT_TRUE(first.ok()) << first.error().message();
  auto second = LoadOrCreateTokenKey(dir);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  struct stat st {};
  ASSERT_EQ(stat((dir + "/page-token.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
}

TEST(TokenKeyFile, DifferentDirsGetDifferentKeys) {
  const numberpool::testing::TempDir a, b;
  EXPECT_NE(*LoadOrCreateTokenKey(a.path()), *LoadOrCreateTokenKey(b.path()));
}

TEST(TokenKeyFile, RejectsAMalformedFile) {
  const numberpool::testing::TempDir temp;
  const std::string& dir = temp.path();
  ASSERT_TRUE(WriteFileAtomically(dir + "/page-token.key", "not hex\n", 0600).ok());
  auto key = LoadOrCreateTokenKey(dir);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().kind(), ErrorKind::kCorrupt);
}

}  // namespace
}  // namespace numberpool::store
