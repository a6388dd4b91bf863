//! A client of an oracle node's proof API (blocking): what `depin rewards
//! claim`, `rewards status`, `rewards distribute` and the demo ask. Its
//! answers are an oracle's word: callers check every claim against the
//! chain before believing it (`depin_client::Client::check_claim_proof`).

use {
    crate::claims::{WalletClaim, WalletPage, MAX_WALLETS_PER_REQUEST},
    depin_sdk::Pubkey,
    serde::de::DeserializeOwned,
    std::time::Duration,
};

/// Waits for the node's rate limit to refill, and how many at most.
const RATE_WAIT: Duration = Duration::from_millis(250);
const RATE_WAITS: u32 = 120;

#[derive(Debug, thiserror::Error)]
pub enum ProofApiError {
    #[error("cannot reach the proof API at {api}: {reason}")]
    Unreachable { api: String, reason: String },
    /// The node answered with an error of its own (`code`: its `error`).
    #[error("{api} answered {status}: {message}")]
    Refused {
        api: String,
        status: u16,
        code: String,
        message: String,
    },
    #[error("{url} answered something that is not {what}: {reason}")]
    Malformed {
        url: String,
        what: &'static str,
        reason: String,
    },
}

pub struct ProofApi {
    base: String,
    http: reqwest::blocking::Client,
}

impl ProofApi {
    /// The API at `base` (`http://host:port`, no `/v1`).
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_string(),
            http: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("an HTTP client"),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// `GET /v1/claims/{wallet}`.
    pub fn claim(&self, wallet: &Pubkey) -> Result<WalletClaim, ProofApiError> {
        self.answer(
            self.http.get(format!("{}/v1/claims/{wallet}", self.base)),
            "a claim",
        )
    }

    /// `POST /v1/claims` (up to 1,000 wallets): each wallet's claim, or the
    /// node's reason it has none.
    pub fn claims(
        &self,
        wallets: &[Pubkey],
    ) -> Result<Vec<Result<WalletClaim, String>>, ProofApiError> {
        assert!(wallets.len() <= MAX_WALLETS_PER_REQUEST);
        let body = serde_json::json!({
            "wallets": wallets.iter().map(ToString::to_string).collect::<Vec<_>>(),
        });
        let url = format!("{}/v1/claims", self.base);
        let answers: Vec<serde_json::Value> =
            self.answer(self.http.post(&url).json(&body), "a list of claims")?;
        if answers.len() != wallets.len() {
            return Err(ProofApiError::Malformed {
                url,
                what: "one answer per wallet",
                reason: format!("{} answers to {} wallets", answers.len(), wallets.len()),
            });
        }
        answers
            .into_iter()
            .zip(wallets)
            .map(|(answer, wallet)| {
                if let Some(message) = answer["message"].as_str() {
                    return Ok(Err(message.to_string()));
                }
                let claim: WalletClaim =
                    serde_json::from_value(answer).map_err(|problem| ProofApiError::Malformed {
                        url: url.clone(),
                        what: "a claim",
                        reason: problem.to_string(),
                    })?;
                if claim.wallet != wallet.to_string() {
                    return Err(ProofApiError::Malformed {
                        url: url.clone(),
                        what: "the claim of the wallet asked",
                        reason: format!("{} answered for {wallet}", claim.wallet),
                    });
                }
                Ok(Ok(claim))
            })
            .collect()
    }

    /// `GET /v1/wallets`: the newest claimable batch's wallets from leaf
    /// index `start`, up to `limit` (≤ 1,000).
    pub fn wallets(&self, start: u32, limit: usize) -> Result<WalletPage, ProofApiError> {
        self.answer(
            self.http.get(format!(
                "{}/v1/wallets?start={start}&limit={limit}",
                self.base
            )),
            "a page of wallets",
        )
    }

    /// Every claim of the newest claimable batch, page by page (two
    /// requests per 1,000 wallets); refused if the node's newest batch
    /// changes in between.
    pub fn every_claim(
        &self,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<WalletClaim>, ProofApiError> {
        let mut claims = Vec::new();
        let mut epoch = None;
        loop {
            let page = self.wallets(claims.len() as u32, MAX_WALLETS_PER_REQUEST)?;
            if *epoch.get_or_insert(page.epoch) != page.epoch {
                return Err(ProofApiError::Refused {
                    api: self.base.clone(),
                    status: 409,
                    code: "batch_changed".into(),
                    message: format!(
                        "its newest claimable batch changed from epoch {} to {} while it \
                         was being read: run again",
                        epoch.unwrap_or_default(),
                        page.epoch
                    ),
                });
            }
            let wallets = page
                .wallets
                .iter()
                .map(|wallet| {
                    wallet.parse().map_err(|_| ProofApiError::Malformed {
                        url: format!("{}/v1/wallets", self.base),
                        what: "a list of wallet addresses",
                        reason: format!("'{wallet}' is not an address"),
                    })
                })
                .collect::<Result<Vec<Pubkey>, _>>()?;
            if wallets.is_empty() {
                return Ok(claims);
            }
            for (answer, wallet) in self.claims(&wallets)?.into_iter().zip(&wallets) {
                let claim = answer.map_err(|message| ProofApiError::Refused {
                    api: self.base.clone(),
                    status: 200,
                    code: "not_in_batch".into(),
                    message: format!("wallet {wallet} it listed has no claim: {message}"),
                })?;
                if claim.epoch != page.epoch {
                    return Err(ProofApiError::Malformed {
                        url: format!("{}/v1/claims", self.base),
                        what: "a claim of the batch listed",
                        reason: format!("epoch {} instead of {}", claim.epoch, page.epoch),
                    });
                }
                claims.push(claim);
            }
            progress(claims.len(), page.leaf_count as usize);
            if claims.len() >= page.leaf_count as usize {
                return Ok(claims);
            }
        }
    }

    fn answer<T: DeserializeOwned>(
        &self,
        request: reqwest::blocking::RequestBuilder,
        what: &'static str,
    ) -> Result<T, ProofApiError> {
        // A crank asks many pages: over the node's per-client limit it
        // waits and asks again (a bounded number of times).
        let mut waits = 0;
        let response = loop {
            let attempt = request
                .try_clone()
                .expect("requests without streamed bodies");
            let response = attempt
                .send()
                .map_err(|problem| ProofApiError::Unreachable {
                    api: self.base.clone(),
                    reason: problem.to_string(),
                })?;
            if response.status() != reqwest::StatusCode::TOO_MANY_REQUESTS || waits == RATE_WAITS {
                break response;
            }
            waits += 1;
            std::thread::sleep(RATE_WAIT);
        };
        let url = response.url().to_string();
        let status = response.status();
        let body: serde_json::Value =
            response
                .json()
                .map_err(|problem| ProofApiError::Malformed {
                    url: url.clone(),
                    what: "JSON",
                    reason: format!("{status}: {problem}"),
                })?;
        if !status.is_success() {
            return Err(ProofApiError::Refused {
                api: self.base.clone(),
                status: status.as_u16(),
                code: body["error"].as_str().unwrap_or("unknown").to_string(),
                message: body["message"]
                    .as_str()
                    .unwrap_or("no reason given")
                    .to_string(),
            });
        }
        serde_json::from_value(body).map_err(|problem| ProofApiError::Malformed {
            url,
            what,
            reason: problem.to_string(),
        })
    }
}
