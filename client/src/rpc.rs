//! A validator over JSON-RPC (devnet, mainnet, a local test validator),
//! through `solana-rpc-client` 3.x.
//!
//! Sending: compute-budget instructions first (price and limit when set),
//! a fresh blockhash per attempt, preflight at the chosen commitment, then
//! polling of the signature until it reaches that commitment. When the
//! blockhash expires (block height past its last valid height) the old
//! transaction can no longer land, so the same instructions are signed
//! again with a new blockhash, up to `max_attempts` times.

use {
    crate::backend::{AccountFilter, Backend, MAX_MULTIPLE_ACCOUNTS},
    base64::{engine::general_purpose::STANDARD as BASE64, Engine},
    depin_sdk::{
        errors,
        txsize::{check_size, LookupTable as AddressLookupTableAccount},
        Instruction, Keypair, Pubkey, SdkError, Signature, Signer, Simulation, Transaction,
        TransactionError, TransactionFailure, TxOutcome,
    },
    serde_json::json,
    solana_account::Account,
    solana_clock::Clock,
    solana_message::{v0, VersionedMessage},
    solana_rpc_client::{rpc_client::RpcClient, rpc_sender::RpcSender},
    solana_rpc_client_api::{
        client_error::{Error as ClientError, ErrorKind},
        config::{RpcAccountInfoConfig, RpcProgramAccountsConfig},
        filter::{Memcmp, RpcFilterType},
        request::{RpcError, RpcRequest, RpcResponseErrorData},
        response::{Response, RpcSimulateTransactionResult},
    },
    solana_transaction::versioned::VersionedTransaction,
    std::{str::FromStr, thread, time::Duration},
};

pub use solana_commitment_config::{CommitmentConfig, CommitmentLevel};

/// How the RPC backend sends.
#[derive(Clone, Debug)]
pub struct RpcOptions {
    pub commitment: CommitmentConfig,
    /// Priority fee in micro-lamports per compute unit.
    pub compute_unit_price: Option<u64>,
    pub compute_unit_limit: Option<u32>,
    /// How many blockhashes a transaction is tried with before giving up.
    pub max_attempts: u32,
    /// Pause between two polls of a signature's status.
    pub poll_interval: Duration,
}

impl Default for RpcOptions {
    fn default() -> Self {
        Self {
            commitment: CommitmentConfig::confirmed(),
            compute_unit_price: None,
            compute_unit_limit: None,
            max_attempts: 3,
            poll_interval: Duration::from_millis(500),
        }
    }
}

pub struct RpcBackend {
    client: RpcClient,
    options: RpcOptions,
}

/// The URL a Solana CLI moniker stands for (`mainnet-beta`, `devnet`,
/// `testnet`, `localhost`, or their first letters); anything else is taken
/// as a URL and returned as it is.
pub fn resolve_moniker(url_or_moniker: &str) -> String {
    match url_or_moniker {
        "m" | "mainnet-beta" | "mainnet" => "https://api.mainnet-beta.solana.com".into(),
        "d" | "devnet" => "https://api.devnet.solana.com".into(),
        "t" | "testnet" => "https://api.testnet.solana.com".into(),
        "l" | "localhost" => "http://localhost:8899".into(),
        other => other.into(),
    }
}

impl RpcBackend {
    pub fn new(url: &str, options: RpcOptions) -> Self {
        Self {
            client: RpcClient::new_with_commitment(resolve_moniker(url), options.commitment),
            options,
        }
    }

    /// A backend over any transport, e.g. a recorded one in tests.
    pub fn with_sender<S: RpcSender + Send + Sync + 'static>(
        sender: S,
        options: RpcOptions,
    ) -> Self {
        Self {
            client: RpcClient::new_sender(
                sender,
                solana_rpc_client::rpc_client::RpcClientConfig::with_commitment(options.commitment),
            ),
            options,
        }
    }

    pub fn options(&self) -> &RpcOptions {
        &self.options
    }

    fn compute_budget(&self) -> Vec<Instruction> {
        use depin_sdk::compute_budget::ComputeBudgetInstruction;
        let mut instructions = Vec::new();
        if let Some(limit) = self.options.compute_unit_limit {
            instructions.push(ComputeBudgetInstruction::set_compute_unit_limit(limit));
        }
        if let Some(price) = self.options.compute_unit_price {
            instructions.push(ComputeBudgetInstruction::set_compute_unit_price(price));
        }
        instructions
    }

    fn rpc_error(&self, error: ClientError) -> SdkError {
        let url = self.client.url();
        SdkError::Rpc {
            reason: transport_failure(&url, &error).unwrap_or_else(|| error.to_string()),
            url,
        }
    }

    /// A legacy transaction without lookup tables, a version-0 one with.
    fn sign(
        &self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
        blockhash: depin_sdk::Hash,
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<VersionedTransaction, SdkError> {
        let all = crate::backend::unique_signers(payer, signers);
        if lookup_tables.is_empty() {
            let mut transaction = Transaction::new_with_payer(instructions, Some(&payer.pubkey()));
            transaction
                .try_sign(&all, blockhash)
                .map_err(|error| SdkError::Signing(error.to_string()))?;
            check_size(&transaction)?;
            return Ok(VersionedTransaction::from(transaction));
        }
        let message =
            v0::Message::try_compile(&payer.pubkey(), instructions, lookup_tables, blockhash)
                .map_err(|error| SdkError::Input(format!("cannot compile the message: {error}")))?;
        let transaction = VersionedTransaction::try_new(VersionedMessage::V0(message), &all)
            .map_err(|error| SdkError::Signing(error.to_string()))?;
        depin_sdk::txsize::check_versioned_size(&transaction)?;
        Ok(transaction)
    }

    fn latest_blockhash(&self) -> Result<(depin_sdk::Hash, u64), SdkError> {
        let (hash, last_valid_block_height) = self
            .client
            .get_latest_blockhash_with_commitment(self.options.commitment)
            .map_err(|error| self.rpc_error(error))?;
        Ok((
            depin_sdk::Hash::new_from_array(hash.to_bytes()),
            last_valid_block_height,
        ))
    }

    fn with_budget(&self, instructions: &[Instruction]) -> Vec<Instruction> {
        let mut all = self.compute_budget();
        all.extend_from_slice(instructions);
        all
    }

    /// Waits for `signature` to reach the commitment. `Ok(None)` when its
    /// blockhash expired first (it can no longer land).
    fn confirm(
        &self,
        signature: &Signature,
        last_valid_block_height: u64,
        programs: &[Pubkey],
    ) -> Result<Option<TxOutcome>, SdkError> {
        // First polls soon (a local node confirms within a slot), then
        // every `poll_interval`.
        let mut pause = Duration::from_millis(50);
        loop {
            let statuses = self
                .client
                .get_signature_statuses(std::slice::from_ref(signature))
                .map_err(|error| self.rpc_error(error))?
                .value;
            if let Some(Some(status)) = statuses.into_iter().next() {
                if let Some(error) = status.err {
                    let logs = self
                        .landed_transaction(signature)
                        .map(|landed| landed.logs)
                        .unwrap_or_default();
                    return Err(failure(*signature, error, logs, programs));
                }
                if status.satisfies_commitment(self.options.commitment) {
                    // The logs, events and cost, where the node still has
                    // the transaction.
                    return Ok(Some(self.landed_transaction(signature).unwrap_or(
                        TxOutcome {
                            signature: *signature,
                            logs: Vec::new(),
                            inner_instructions: Vec::new(),
                            compute_units: 0,
                            fee: 0,
                        },
                    )));
                }
            } else {
                let height = self
                    .client
                    .get_block_height_with_commitment(self.options.commitment)
                    .map_err(|error| self.rpc_error(error))?;
                if height > last_valid_block_height {
                    return Ok(None);
                }
            }
            thread::sleep(pause);
            pause = (pause * 2).min(self.options.poll_interval);
        }
    }

    /// A confirmed transaction's logs, inner instructions (the events
    /// `emit_cpi!` sends), compute units and fee, from `getTransaction`;
    /// `None` when the node does not have it.
    fn landed_transaction(&self, signature: &Signature) -> Option<TxOutcome> {
        use solana_transaction_status_client_types::{
            option_serializer::OptionSerializer, EncodedConfirmedTransactionWithStatusMeta,
            EncodedTransaction, UiInstruction, UiMessage,
        };
        let commitment = if self.options.commitment.is_processed() {
            CommitmentConfig::confirmed()
        } else {
            self.options.commitment
        };
        let landed: Option<EncodedConfirmedTransactionWithStatusMeta> = self
            .client
            .send(
                RpcRequest::GetTransaction,
                json!([signature.to_string(), {
                    "encoding": "json",
                    "commitment": commitment.commitment,
                    "maxSupportedTransactionVersion": 0,
                }]),
            )
            .ok()?;
        let landed = landed?;
        let meta = landed.transaction.meta?;
        let EncodedTransaction::Json(transaction) = landed.transaction.transaction else {
            return None;
        };
        let UiMessage::Raw(message) = transaction.message else {
            return None;
        };
        let mut keys: Vec<Pubkey> = message
            .account_keys
            .iter()
            .filter_map(|key| Pubkey::from_str(key).ok())
            .collect();
        if let OptionSerializer::Some(loaded) = &meta.loaded_addresses {
            keys.extend(
                loaded
                    .writable
                    .iter()
                    .chain(&loaded.readonly)
                    .filter_map(|key| Pubkey::from_str(key).ok()),
            );
        }
        let inner_instructions = match meta.inner_instructions {
            OptionSerializer::Some(inner) => inner
                .into_iter()
                .flat_map(|inner| inner.instructions)
                .filter_map(|instruction| match instruction {
                    UiInstruction::Compiled(compiled) => {
                        Some(depin_sdk::events::InnerInstruction {
                            program_id: *keys.get(usize::from(compiled.program_id_index))?,
                            data: bs58::decode(&compiled.data).into_vec().ok()?,
                        })
                    }
                    UiInstruction::Parsed(_) => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        Some(TxOutcome {
            signature: *signature,
            logs: match meta.log_messages {
                OptionSerializer::Some(logs) => logs,
                _ => Vec::new(),
            },
            inner_instructions,
            compute_units: match meta.compute_units_consumed {
                OptionSerializer::Some(units) => units,
                _ => 0,
            },
            fee: meta.fee,
        })
    }
}

/// How long the RPC client waits for an answer (`solana-rpc-client`'s
/// default, which `RpcBackend::new` keeps).
pub const RPC_TIMEOUT_SECS: u64 = 30;

/// A failure to reach the node, in words: nothing listens at `url`
/// (connection refused), or the node did not answer in time. `None` for
/// every other error (the node answered).
fn transport_failure(url: &str, error: &ClientError) -> Option<String> {
    let refused = || {
        format!(
            "no Solana node answers at {url}; start one (`solana-test-validator`, or \
             `depin localnet`) or choose another with -u"
        )
    };
    let timed_out =
        || format!("the node at {url} did not answer within {RPC_TIMEOUT_SECS} s (timed out)");
    let io_kind = io_error_kind(error);
    match io_kind {
        Some(std::io::ErrorKind::ConnectionRefused) => return Some(refused()),
        Some(std::io::ErrorKind::TimedOut) => return Some(timed_out()),
        _ => {}
    }
    match error.kind() {
        ErrorKind::Reqwest(error) if error.is_timeout() => Some(timed_out()),
        ErrorKind::Reqwest(error) if error.is_connect() => Some(format!(
            "cannot connect to {url} ({}); check the URL, or choose another cluster with -u",
            root_cause(error)
        )),
        _ => None,
    }
}

/// The kind of the first I/O error in `error`'s chain of causes.
fn io_error_kind(error: &ClientError) -> Option<std::io::ErrorKind> {
    if let ErrorKind::Io(io) = error.kind() {
        return Some(io.kind());
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        cause = current.source();
    }
    None
}

/// The innermost cause's text (e.g. "dns error: failed to lookup address").
fn root_cause(error: &dyn std::error::Error) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

fn programs_of(instructions: &[Instruction]) -> Vec<Pubkey> {
    instructions
        .iter()
        .map(|instruction| instruction.program_id)
        .collect()
}

fn encode(transaction: &VersionedTransaction) -> String {
    BASE64.encode(bincode::serialize(transaction).expect("a transaction serializes"))
}

fn failure(
    signature: Signature,
    error: TransactionError,
    logs: Vec<String>,
    programs: &[Pubkey],
) -> SdkError {
    SdkError::TransactionFailed(Box::new(TransactionFailure {
        signature,
        program_error: errors::decode_transaction_error(&error, programs, &logs),
        error,
        logs,
    }))
}

/// The preflight simulation inside a `sendTransaction` error, if that is
/// what the error is.
fn preflight_failure(error: &ClientError) -> Option<&RpcSimulateTransactionResult> {
    match error.kind() {
        ErrorKind::RpcError(RpcError::RpcResponseError {
            data: RpcResponseErrorData::SendTransactionPreflightFailure(result),
            ..
        }) => Some(result),
        _ => None,
    }
}

fn convert_account(account: solana_account_v3::Account) -> Account {
    Account {
        lamports: account.lamports,
        data: account.data,
        owner: Pubkey::new_from_array(account.owner.to_bytes()),
        executable: account.executable,
        rent_epoch: account.rent_epoch,
    }
}

fn to_rpc_filter(filter: &AccountFilter) -> RpcFilterType {
    match filter {
        AccountFilter::DataSize(size) => RpcFilterType::DataSize(*size),
        AccountFilter::Memcmp { offset, bytes } => {
            RpcFilterType::Memcmp(Memcmp::new_base58_encoded(*offset, bytes))
        }
    }
}

impl Backend for RpcBackend {
    fn describe(&self) -> String {
        self.client.url()
    }

    fn get_multiple_accounts(
        &self,
        addresses: &[Pubkey],
    ) -> Result<Vec<Option<Account>>, SdkError> {
        let mut accounts = Vec::with_capacity(addresses.len());
        for chunk in addresses.chunks(MAX_MULTIPLE_ACCOUNTS) {
            let keys: Vec<solana_pubkey_v3::Pubkey> = chunk
                .iter()
                .map(|address| solana_pubkey_v3::Pubkey::new_from_array(address.to_bytes()))
                .collect();
            let found = self
                .client
                .get_multiple_accounts_with_commitment(&keys, self.options.commitment)
                .map_err(|error| self.rpc_error(error))?
                .value;
            accounts.extend(
                found
                    .into_iter()
                    .map(|account| account.map(convert_account)),
            );
        }
        Ok(accounts)
    }

    fn get_program_accounts(
        &self,
        program_id: &Pubkey,
        filters: &[AccountFilter],
    ) -> Result<Vec<(Pubkey, Account)>, SdkError> {
        let config = RpcProgramAccountsConfig {
            filters: Some(filters.iter().map(to_rpc_filter).collect()),
            account_config: RpcAccountInfoConfig {
                encoding: Some(solana_account_decoder_client_types::UiAccountEncoding::Base64),
                commitment: Some(self.options.commitment),
                ..Default::default()
            },
            ..Default::default()
        };
        let found = self
            .client
            .get_program_ui_accounts_with_config(
                &solana_pubkey_v3::Pubkey::new_from_array(program_id.to_bytes()),
                config,
            )
            .map_err(|error| self.rpc_error(error))?;
        found
            .into_iter()
            .map(|(address, account)| {
                let address = Pubkey::new_from_array(address.to_bytes());
                let account = account
                    .decode::<solana_account_v3::Account>()
                    .ok_or_else(|| SdkError::AccountDecode {
                        address,
                        expected: "base64 account".into(),
                        reason: "the RPC node sent an encoding that cannot be decoded".into(),
                    })?;
                Ok((address, convert_account(account)))
            })
            .collect()
    }

    fn send(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<TxOutcome, SdkError> {
        self.send_with_lookup_tables(instructions, payer, signers, &[])
    }

    fn send_with_lookup_tables(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<TxOutcome, SdkError> {
        let instructions = self.with_budget(instructions);
        let programs = programs_of(&instructions);
        let mut last_signature = Signature::default();
        for _ in 0..self.options.max_attempts {
            let (blockhash, last_valid_block_height) = self.latest_blockhash()?;
            let transaction = self.sign(&instructions, payer, signers, blockhash, lookup_tables)?;
            last_signature = transaction.signatures[0];
            let config = json!({
                "encoding": "base64",
                "skipPreflight": false,
                "preflightCommitment": self.options.commitment.commitment,
                "maxRetries": 0,
            });
            let sent: Result<String, ClientError> = self.client.send(
                RpcRequest::SendTransaction,
                json!([encode(&transaction), config]),
            );
            match sent {
                Ok(_) => {}
                Err(error) => {
                    if let Some(result) = preflight_failure(&error) {
                        if let Some(transaction_error) = result.err.clone() {
                            return Err(failure(
                                last_signature,
                                transaction_error.into(),
                                result.logs.clone().unwrap_or_default(),
                                &programs,
                            ));
                        }
                    }
                    return Err(self.rpc_error(error));
                }
            }
            if let Some(outcome) =
                self.confirm(&last_signature, last_valid_block_height, &programs)?
            {
                return Ok(outcome);
            }
        }
        Err(SdkError::NotConfirmed {
            attempts: self.options.max_attempts,
            signature: last_signature,
        })
    }

    fn simulate(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Simulation, SdkError> {
        self.simulate_with_lookup_tables(instructions, payer, signers, &[])
    }

    fn simulate_with_lookup_tables(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<Simulation, SdkError> {
        let instructions = self.with_budget(instructions);
        let programs = programs_of(&instructions);
        let (blockhash, _) = self.latest_blockhash()?;
        let transaction = self.sign(&instructions, payer, signers, blockhash, lookup_tables)?;
        let config = json!({
            "encoding": "base64",
            "sigVerify": true,
            "commitment": self.options.commitment.commitment,
        });
        let response: Response<RpcSimulateTransactionResult> = self
            .client
            .send(
                RpcRequest::SimulateTransaction,
                json!([encode(&transaction), config]),
            )
            .map_err(|error| self.rpc_error(error))?;
        let result = response.value;
        let logs = result.logs.unwrap_or_default();
        Ok(Simulation {
            failure: result.err.map(|error| {
                match failure(
                    transaction.signatures[0],
                    error.into(),
                    logs.clone(),
                    &programs,
                ) {
                    SdkError::TransactionFailed(failure) => failure,
                    _ => unreachable!("failure() builds a TransactionFailed"),
                }
            }),
            compute_units: result.units_consumed.unwrap_or(0),
            logs,
        })
    }

    fn budget_instructions(&self) -> Vec<Instruction> {
        self.compute_budget()
    }

    fn clock(&self) -> Result<Clock, SdkError> {
        let account = self
            .get_multiple_accounts(&[solana_sdk_ids::sysvar::clock::ID])?
            .pop()
            .flatten()
            .ok_or(SdkError::AccountNotFound(solana_sdk_ids::sysvar::clock::ID))?;
        bincode::deserialize(&account.data).map_err(|error| SdkError::AccountDecode {
            address: solana_sdk_ids::sysvar::clock::ID,
            expected: "Clock".into(),
            reason: error.to_string(),
        })
    }

    fn minimum_balance_for_rent_exemption(&self, data_len: usize) -> Result<u64, SdkError> {
        self.client
            .get_minimum_balance_for_rent_exemption(data_len)
            .map_err(|error| self.rpc_error(error))
    }

    /// A local node's time travel (`depin localnet`'s `depin_warp`); a
    /// real cluster's time passes by itself.
    fn warp(&mut self, seconds: i64) -> Result<Clock, SdkError> {
        let warped: Result<serde_json::Value, _> = self.client.send(
            RpcRequest::Custom {
                method: "depin_warp",
            },
            json!([seconds]),
        );
        match warped {
            Ok(_) => self.clock(),
            Err(error) => match error.kind() {
                ErrorKind::RpcError(RpcError::RpcResponseError { code: -32601, .. }) => {
                    Err(SdkError::Unsupported(format!(
                        "time passes by itself on {}; only the embedded runtime and \
                         `depin localnet` can warp",
                        self.describe()
                    )))
                }
                _ => Err(self.rpc_error(error)),
            },
        }
    }

    fn genesis_hash(&self) -> Result<depin_sdk::Hash, SdkError> {
        let hash: String = self
            .client
            .send(RpcRequest::GetGenesisHash, serde_json::Value::Null)
            .map_err(|error| self.rpc_error(error))?;
        depin_sdk::Hash::from_str(&hash).map_err(|error| SdkError::Rpc {
            url: self.client.url(),
            reason: format!("getGenesisHash returned '{hash}': {error}"),
        })
    }

    fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), SdkError> {
        let signature: String = self
            .client
            .send(
                RpcRequest::RequestAirdrop,
                json!([to.to_string(), lamports]),
            )
            .map_err(|error| self.rpc_error(error))?;
        let signature = Signature::from_str(&signature).map_err(|error| SdkError::Rpc {
            url: self.client.url(),
            reason: format!("airdrop returned an invalid signature: {error}"),
        })?;
        let (_, last_valid_block_height) = self.latest_blockhash()?;
        match self.confirm(&signature, last_valid_block_height, &[])? {
            Some(_) => Ok(()),
            None => Err(SdkError::NotConfirmed {
                attempts: 1,
                signature,
            }),
        }
    }
}
