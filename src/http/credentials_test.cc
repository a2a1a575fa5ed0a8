#include "http/credentials.h"

#include <gtest/gtest.h>

#include "common/file_util.h"
#include "testing/temp_dir.h"

namespace numberpool::http {
namespace {

TEST(Credentials, ParsesAwsFormatWithNumberpoolSettings) {
  auto keys = ParseCredentials(R"(
# comment
[default]
aws_access_key_id = AKID1
aws_secret_access_key = secret/1+x
region = us-east-1

[profile temp]
aws_access_key_id=AKID2
aws_secret_access_key=s2
aws_session_token = tok
status = disabled
allow = SearchAvailablePhoneNumbers, OrderPhoneNumbers
rate = 2.5
burst = 10
expires = 2026-12-31T23:59:59+01:00
)");
  ASSERT_TRUE(keys.ok()) << keys.error().message();
  ASSERT_EQ(keys->size(), 2u);
  const AccessKey& a = (*keys)[0];
  EXPECT_EQ(a.profile, "default");
  EXPECT_EQ(a.secret, "secret/1+x");
  EXPECT_EQ(a.status, KeyStatus::kActive);
  EXPECT_TRUE(a.Allows("Anything"));
  EXPECT_FALSE(a.rate);
  const AccessKey& b = (*keys)[1];
  EXPECT_EQ(b.profile, "temp");
  EXPECT_EQ(b.session_token, "tok");
  EXPECT_EQ(b.status, KeyStatus::kDisabled);
  EXPECT_TRUE(b.Allows("OrderPhoneNumbers"));
  EXPECT_FALSE(b.Allows("DeletePhoneNumber"));
  EXPECT_EQ(b.rate, 2.5);
  EXPECT_EQ(b.burst, 10);
  EXPECT_EQ(b.expires, 1798757999);  // 2026-12-31T22:59:59Z
}

TEST(Credentials, RoundTripsThroughRender) {
  auto keys = ParseCredentials(
      "[k]\naws_access_key_id=A\naws_secret_access_key=S\nrate=3\n"
      "expires=2030-01-01T00:00:00Z\nstatus=blocked\n");
  ASSERT_TRUE(keys.ok());
  auto again = ParseCredentials(RenderCredentials(*keys));
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ((*again)[0].id, "A");
  EXPECT_EQ((*again)[0].rate, 3);
  EXPECT_EQ((*again)[0].expires, (*keys)[0].expires);
  EXPECT_EQ((*again)[0].status, KeyStatus::kBlocked);
}

TEST(Credentials, RejectsWhatIsMalformedNamingTheLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"aws_access_key_id=A\n", "line 1"},
      {"[a]\naws_access_key_id=A\n", "aws_secret_access_key"},
      {"[a]\naws_access_key_id=A\naws_secret_access_key=S\nstatus=gone\n", "line 4"},
      {"[a]\naws_access_key_id=A\naws_secret_access_key=S\nrate=0\n", "rate"},
      {"[a]\naws_access_key_id=A\naws_secret_access_key=S\nexpires=tomorrow\n", "expires"},
      {"[a]\naws_access_key_id=A\naws_secret_access_key=S\ncolour=red\n", "colour"},
      {"[a]\naws_access_key_id=A\naws_access_key_id=B\n", "twice"},
      {"[a]\naws_access_key_id=A\naws_secret_access_key=S\n[a]\n", "twice"},
      {"[a]\naws_access_key_id=A\naws_secret_access_key=S\n[b]\naws_access_key_id=A\n"
       "aws_secret_access_key=T\n",
       "two sections"},
      {"[a\n", "line 1"},
      {"[a]\nnot a setting\n", "line 2"},
  };
  for (const auto& [text, words] : cases) {
    auto r = ParseCredentials(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.error().message().find(words), std::string::npos)
        << text << " -> " << r.error().message();
  }
}

TEST(Credentials, Rfc3339) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("2000-03-01T00:00:00.123Z"), 951868800);
  EXPECT_EQ(ParseRfc3339("2000-03-01T01:00:00+01:00"), 951868800);
  EXPECT_FALSE(ParseRfc3339("2000-03-01"));
  EXPECT_FALSE(ParseRfc3339("2000-13-01T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2000-03-01T00:00:00"));
  EXPECT_EQ(FormatRfc3339(951868800), "2000-03-01T00:00:00Z");
}

TEST(KeyStore, LoadsFindsAndReloadsKeepingGoodKeysOnABadFile) {
  const numberpool::testing::TempDir dir;
  const std::string path = dir.path() + "/credentials";
  KeyStore store(path);
  EXPECT_EQ(store.Load().error().kind(), ErrorKind::kNotFound);
  ASSERT_TRUE(WriteCredentials(path, {NewAccessKey("default")}).ok());
  ASSERT_TRUE(store.Load().ok());
  auto keys = ParseCredentials(*ReadFile(path));
  ASSERT_TRUE(keys.ok());
  const std::string id = (*keys)[0].id;
  ASSERT_TRUE(store.Find(id));
  EXPECT_EQ(store.Find(id)->secret.size(), 40u);
  EXPECT_FALSE(store.Find("nope"));
  ASSERT_TRUE(WriteFileAtomically(path, "garbage\n", 0600).ok());
  EXPECT_FALSE(store.Refresh().ok());
  EXPECT_TRUE(store.Find(id)) << "a bad file must leave the previous keys in force";
}

TEST(NewAccessKey, IsRandomAndWellFormed) {
  const AccessKey a = NewAccessKey("a"), b = NewAccessKey("b");
  EXPECT_NE(a.id, b.id);
  EXPECT_NE(a.secret, b.secret);
  EXPECT_EQ(a.id.size(), 20u);
  EXPECT_EQ(a.id.substr(0, 2), "NP");
}

}  // namespace
}  // namespace numberpool::http
