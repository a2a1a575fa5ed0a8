#include "store/token_key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "common/file_util.h"

namespace numberpool::store {
namespace {

std::string TempDir() {
  std::string pattern = ::testing::TempDir() + "/np_key_XXXXXX";
  return mkdtemp(pattern.data());
}

TEST(TokenKeyFile, CreatesOnceAndKeepsIt) {
  const std::string dir = TempDir();
  auto first = LoadOrCreateTokenKey(dir);
  ASSERT_TRUE(first.ok()) << first.error().message();
  auto second = LoadOrCreateTokenKey(dir);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  struct stat st{};
  ASSERT_EQ(stat((dir + "/page-token.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
  std::filesystem::remove_all(dir);
}

TEST(TokenKeyFile, DifferentDirsGetDifferentKeys) {
  const std::string a = TempDir(), b = TempDir();
  EXPECT_NE(*LoadOrCreateTokenKey(a), *LoadOrCreateTokenKey(b));
  std::filesystem::remove_all(a);
  std::filesystem::remove_all(b);
}

TEST(TokenKeyFile, RejectsAMalformedFile) {
  const std::string dir = TempDir();
  ASSERT_TRUE(WriteFileAtomically(dir + "/page-token.key", "not hex\n", 0600).ok());
  auto key = LoadOrCreateTokenKey(dir);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().kind(), ErrorKind::kCorrupt);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace numberpool::store
