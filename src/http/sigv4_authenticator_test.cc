#include "http/sigv4_authenticator.h"

#include <gtest/gtest.h>

#include "common/file_util.h"
#include "testing/temp_dir.h"

namespace numberpool::http {
namespace {

class FixedClock final : public Clock {
 public:
  int64_t NowSeconds() const override { return now; }
  int64_t MonotonicNanos() const override { return mono_ns; }
  int64_t now = 1440938160;  // 2015-08-30T12:36:00Z
  int64_t mono_ns = 0;
};

// Signs a GET as a client would, with the primitives the suites verify.
struct Signed {
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<sigv4::HeaderField> fields;
  std::string source = "192.0.2.1";

  HttpRequest Request() {
    fields.clear();
    for (const auto& [n, v] : headers) fields.push_back({n, v});
    return {"GET", target, fields, "", source};
  }
};

Signed Sign(const std::string& key, const std::string& secret, const std::string& amz_date,
            const std::string& region = "us-east-1",
            const std::optional<std::string>& token = std::nullopt) {
  Signed s;
  s.target = "/search?type=phone-numbers&area-code=206";
  s.headers = {{"Host", "127.0.0.1:8080"}, {"X-Amz-Date", amz_date}};
  sigv4::AuthParams p;
  p.credential = {key, std::string_view(amz_date).substr(0, 8), region, "chime", "aws4_request"};
  std::string sh = "host;x-amz-date";
  if (token) {
    s.headers.emplace_back("X-Amz-Security-Token", *token);
    sh += ";x-amz-security-token";
  }
  p.signed_headers = sh;
  p.amz_date = amz_date;
  const HttpRequest r = s.Request();
  const std::string creq =
      *sigv4::CanonicalRequest({r.method, r.target, r.headers, r.body}, p, true);
  const std::string sig =
      sigv4::Sign(sigv4::DeriveSigningKey(secret, p.credential), sigv4::StringToSign(p, creq));
  s.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + key + "/" +
                                              p.credential.Scope() + ", SignedHeaders=" + sh +
                                              ", Signature=" + sig);
  return s;
}

constexpr char kDate[] = "20150830T123600Z";

class SigV4AuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteFileAtomically(dir_.path() + "/credentials", R"(
[ok]
aws_access_key_id = OK
aws_secret_access_key = ok-secret
[disabled]
aws_access_key_id = DIS
aws_secret_access_key = dis-secret
status = disabled
[blocked]
aws_access_key_id = BLK
aws_secret_access_key = blk-secret
status = blocked
[limited]
aws_access_key_id = LIM
aws_secret_access_key = lim-secret
allow = OrderPhoneNumbers
[expired]
aws_access_key_id = EXP
aws_secret_access_key = exp-secret
expires = 2015-08-30T00:00:00Z
[temp]
aws_access_key_id = TMP
aws_secret_access_key = tmp-secret
aws_session_token = tok
)",
                                    0600)
                    .ok());
    ASSERT_TRUE(keys_.Load().ok());
  }

  std::optional<WireError> Check(Signed s, std::string_view op = "SearchAvailablePhoneNumbers") {
    const auto denied = auth_.Authenticate(s.Request(), op);
    if (denied) last_message_ = denied->message;
    return denied ? std::optional<WireError>(denied->error) : std::nullopt;
  }

  numberpool::testing::TempDir dir_;
  KeyStore keys_{dir_.path() + "/credentials"};
  FixedClock clock_;
  SigV4Authenticator auth_{keys_, clock_, SigV4Options{}};
  std::string last_message_;
};

TEST_F(SigV4AuthenticatorTest, AcceptsAValidSignature) {
  EXPECT_EQ(Check(Sign("OK", "ok-secret", kDate)), std::nullopt);
  EXPECT_EQ(Check(Sign("TMP", "tmp-secret", kDate, "us-east-1", "tok")), std::nullopt);
}

TEST_F(SigV4AuthenticatorTest, EachFailureHasItsError) {
  Signed unsigned_request;
  unsigned_request.target = "/search?type=phone-numbers";
  EXPECT_EQ(Check(unsigned_request), WireError::kMissingAuthenticationToken);
  Signed malformed = Sign("OK", "ok-secret", kDate);
  malformed.headers.back().second = "AWS4-HMAC-SHA256 Credential=OK";
  EXPECT_EQ(Check(malformed), WireError::kIncompleteSignature);
  EXPECT_EQ(Check(Sign("NOPE", "x", kDate)), WireError::kUnrecognizedClient);
  EXPECT_EQ(Check(Sign("OK", "wrong", kDate)), WireError::kInvalidSignature);
  EXPECT_EQ(Check(Sign("OK", "ok-secret", kDate, "eu-west-1")), WireError::kInvalidSignature);
  EXPECT_EQ(Check(Sign("EXP", "exp-secret", kDate)), WireError::kExpiredToken);
  EXPECT_EQ(Check(Sign("DIS", "dis-secret", kDate)), WireError::kUnauthorizedClient);
  EXPECT_EQ(Check(Sign("BLK", "blk-secret", kDate)), WireError::kForbidden);
  EXPECT_EQ(Check(Sign("LIM", "lim-secret", kDate)), WireError::kAccessDenied);
  EXPECT_EQ(Check(Sign("LIM", "lim-secret", kDate), ""), std::nullopt) << "unrouted: no permission";
  EXPECT_EQ(Check(Sign("TMP", "tmp-secret", kDate)), WireError::kUnrecognizedClient);
  EXPECT_EQ(Check(Sign("TMP", "tmp-secret", kDate, "us-east-1", "bad")),
            WireError::kUnrecognizedClient);
  EXPECT_EQ(Check(Sign("OK", "ok-secret", kDate, "us-east-1", "tok")),
            WireError::kUnrecognizedClient);
}

TEST_F(SigV4AuthenticatorTest, FifteenMinuteWindowBothWays) {
  clock_.now += 15 * 60;
  EXPECT_EQ(Check(Sign("OK", "ok-secret", kDate)), std::nullopt);
  clock_.now += 1;
  EXPECT_EQ(Check(Sign("OK", "ok-secret", kDate)), WireError::kInvalidSignature);
  EXPECT_NE(last_message_.find("Signature expired: 20150830T123600Z"), std::string::npos);
  clock_.now -= 30 * 60 + 1;
  EXPECT_EQ(Check(Sign("OK", "ok-secret", kDate)), std::nullopt);
  clock_.now -= 1;
  EXPECT_EQ(Check(Sign("OK", "ok-secret", kDate)), WireError::kInvalidSignature);
  EXPECT_NE(last_message_.find("Signature not yet current"), std::string::npos);
}

TEST_F(SigV4AuthenticatorTest, CheapestCheckFirst) {
  // A skewed date is reported before the key is even looked up ...
  clock_.now += 3600;
  EXPECT_EQ(Check(Sign("NOPE", "x", kDate)), WireError::kInvalidSignature);
  EXPECT_NE(last_message_.find("expired"), std::string::npos);
  clock_.now -= 3600;
  // ... and a bad signature before the key's status: nothing about a key is revealed to a
  // caller who cannot sign with it.
  EXPECT_EQ(Check(Sign("DIS", "wrong", kDate)), WireError::kInvalidSignature);
  EXPECT_EQ(Check(Sign("BLK", "wrong", kDate)), WireError::kInvalidSignature);
}

TEST_F(SigV4AuthenticatorTest, BodyMustMatchContentSha256) {
  Signed s = Sign("OK", "ok-secret", kDate);
  s.headers.emplace_back("x-amz-content-sha256", std::string(64, '0'));
  EXPECT_EQ(Check(s), WireError::kInvalidSignature);
}

TEST_F(SigV4AuthenticatorTest, ThrottlesAKeyPastItsBurstAndRefillsAtItsRate) {
  SigV4Options options;
  options.rate = 2;
  options.burst = 3;
  SigV4Authenticator auth(keys_, clock_, options);
  const auto check = [&] {
    const auto d = auth.Authenticate(Sign("OK", "ok-secret", kDate).Request(), "X");
    return d ? std::optional<WireError>(d->error) : std::nullopt;
  };
  for (int i = 0; i < 3; ++i) EXPECT_EQ(check(), std::nullopt) << i;
  const auto denied = auth.Authenticate(Sign("OK", "ok-secret", kDate).Request(), "X");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->error, WireError::kThrottledClient);
  EXPECT_GE(denied->retry_after, 1);
  clock_.mono_ns += 500'000'000;  // half a second at 2/s: one token
  EXPECT_EQ(check(), std::nullopt);
  EXPECT_EQ(check(), WireError::kThrottledClient);
}

TEST_F(SigV4AuthenticatorTest, FloodOfBadSignaturesIsThrottledPerSourceBeforeVerifying) {
  SigV4Options options;
  options.failure_rate = 1;
  options.failure_burst = 5;
  SigV4Authenticator auth(keys_, clock_, options);
  Signed bad = Sign("OK", "wrong", kDate);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(auth.Authenticate(bad.Request(), "X")->error, WireError::kInvalidSignature);
  }
  EXPECT_EQ(auth.Authenticate(bad.Request(), "X")->error, WireError::kThrottledClient);
  // Even a good signature from that source waits for the bucket ...
  Signed good = Sign("OK", "ok-secret", kDate);
  EXPECT_EQ(auth.Authenticate(good.Request(), "X")->error, WireError::kThrottledClient);
  // ... while another source is unaffected,
  good.source = "192.0.2.2";
  EXPECT_FALSE(auth.Authenticate(good.Request(), "X"));
  // and the first is served again once its bucket refills.
  clock_.mono_ns += 1'000'000'000;
  good.source = "192.0.2.1";
  EXPECT_FALSE(auth.Authenticate(good.Request(), "X"));
}

TEST(RateLimiter, BoundsItsMemory) {
  RateLimiter limiter(32);
  int refused = 0;
  for (int i = 0; i < 1000; ++i) refused += limiter.Take("k" + std::to_string(i), 1, 1, 0) != 0;
  EXPECT_GT(refused, 0) << "busy buckets beyond the bound are refused, not tracked";
  // Once they have refilled, old buckets are forgotten and new keys are tracked again.
  EXPECT_EQ(limiter.Take("fresh", 1, 1, 10'000'000'000), 0);
}

TEST(AmzDate, Parses) {
  EXPECT_EQ(ParseAmzDate("20150830T123600Z"), 1440938160);
  EXPECT_FALSE(ParseAmzDate("20150830T1236Z"));
  EXPECT_FALSE(ParseAmzDate("2015-08-30T12:36:00Z"));
}

}  // namespace
}  // namespace numberpool::http
