//! The JSON-RPC methods: a validator's request and response types
//! (solana-rpc-client-api), answered from the [`Bank`].

use {
    crate::bank::{Bank, Commitment, Landed, Refusal},
    base64::{engine::general_purpose::STANDARD as BASE64, Engine},
    depin_client::backend::{AccountFilter, Backend},
    depin_sdk::{Hash, Pubkey},
    jsonrpc_core::{Error, ErrorCode, Params},
    serde::de::DeserializeOwned,
    serde_json::{json, Value},
    solana_account::Account,
    solana_account_decoder::{
        encode_ui_account,
        parse_account_data::{AccountAdditionalDataV3, SplTokenAdditionalDataV2},
        parse_token::token_amount_to_ui_amount_v3,
    },
    solana_account_decoder_client_types::{UiAccount, UiAccountEncoding, UiDataSliceConfig},
    solana_rpc_client_api::{
        config::{
            RpcAccountInfoConfig, RpcContextConfig, RpcEpochConfig, RpcProgramAccountsConfig,
            RpcRequestAirdropConfig, RpcSendTransactionConfig, RpcSignatureStatusConfig,
            RpcSimulateTransactionConfig, RpcTokenAccountsFilter, RpcTransactionConfig,
        },
        custom_error::RpcCustomError,
        filter::RpcFilterType,
        response::{
            Response, RpcApiVersion, RpcBlockhash, RpcKeyedAccount, RpcPrioritizationFee,
            RpcResponseContext, RpcSimulateTransactionResult, RpcVersionInfo,
        },
    },
    solana_signature::Signature,
    solana_transaction::versioned::VersionedTransaction,
    solana_transaction_error::TransactionError,
    solana_transaction_status_client_types::{
        EncodedConfirmedTransactionWithStatusMeta, EncodedTransaction,
        EncodedTransactionWithStatusMeta, TransactionBinaryEncoding, TransactionConfirmationStatus,
        TransactionStatus, UiAddressTableLookup, UiCompiledInstruction, UiInnerInstructions,
        UiInstruction, UiLoadedAddresses, UiMessage, UiRawMessage, UiReturnDataEncoding,
        UiTransaction, UiTransactionEncoding, UiTransactionReturnData, UiTransactionStatusMeta,
    },
    std::str::FromStr,
};

/// Largest transaction a validator takes (one packet).
pub const PACKET_DATA_SIZE: usize = 1232;
/// Most accounts one `getMultipleAccounts` may name, as a validator.
pub const MAX_MULTIPLE_ACCOUNTS: usize = 100;
/// Most signatures one `getSignatureStatuses` may name, as a validator.
pub const MAX_SIGNATURE_STATUSES: usize = 256;
/// Most filters of one `getProgramAccounts`, as a validator.
pub const MAX_GET_PROGRAM_ACCOUNT_FILTERS: usize = 4;
/// Most account bytes served in base58, as a validator.
pub const MAX_BASE58_BYTES: usize = 128;
/// What `getVersion` reports: the RPC types' version, and this node.
pub const SOLANA_CORE_VERSION: &str = "3.1.14";

/// Every method this node answers (`rpc.discover`-style listing for the
/// README and the tests).
pub const METHODS: &[&str] = &[
    "getAccountInfo",
    "getBalance",
    "getBlockHeight",
    "getEpochInfo",
    "getFeeForMessage",
    "getGenesisHash",
    "getHealth",
    "getLatestBlockhash",
    "getMinimumBalanceForRentExemption",
    "getMultipleAccounts",
    "getProgramAccounts",
    "getRecentPrioritizationFees",
    "getSignatureStatuses",
    "getSlot",
    "getTokenAccountBalance",
    "getTokenAccountsByOwner",
    "getTransaction",
    "getVersion",
    "isBlockhashValid",
    "requestAirdrop",
    "sendTransaction",
    "simulateTransaction",
    "depin_warp",
];

/// Answers one call.
pub fn call(bank: &mut Bank, method: &str, params: Params) -> Result<Value, Error> {
    match method {
        "getHealth" => Ok(json!("ok")),
        "getVersion" => to_value(RpcVersionInfo {
            solana_core: SOLANA_CORE_VERSION.into(),
            feature_set: Some(0),
        }),
        "getGenesisHash" => Ok(json!(bank.genesis_hash().to_string())),
        "getSlot" => {
            let (config,) = optional::<(Option<RpcContextConfig>,)>(params)?;
            let slot = context_slot(bank, config.as_ref())?;
            Ok(json!(slot))
        }
        "getBlockHeight" => {
            let (config,) = optional::<(Option<RpcContextConfig>,)>(params)?;
            Ok(json!(context_slot(bank, config.as_ref())?))
        }
        "getEpochInfo" => {
            let (config,) = optional::<(Option<RpcEpochConfig>,)>(params)?;
            let commitment = Commitment::from_config(config.and_then(|config| config.commitment));
            epoch_info(bank, bank.slot_at(commitment))
        }
        "getLatestBlockhash" => {
            let (config,) = optional::<(Option<RpcContextConfig>,)>(params)?;
            let slot = context_slot(bank, config.as_ref())?;
            let (blockhash, last_valid_block_height) = bank.latest_blockhash();
            respond(
                slot,
                RpcBlockhash {
                    blockhash: blockhash.to_string(),
                    last_valid_block_height,
                },
            )
        }
        "isBlockhashValid" => {
            let (blockhash, config) = parse::<(String, Option<RpcContextConfig>)>(params)?;
            let slot = context_slot(bank, config.as_ref())?;
            let blockhash = Hash::from_str(&blockhash)
                .map_err(|_| invalid_params(format!("Invalid param: {blockhash}")))?;
            respond(slot, bank.is_blockhash_valid(&blockhash))
        }
        "getFeeForMessage" => {
            let (message, config) = parse::<(String, Option<RpcContextConfig>)>(params)?;
            let slot = context_slot(bank, config.as_ref())?;
            let bytes = BASE64
                .decode(&message)
                .map_err(|error| invalid_params(format!("invalid base64 message: {error}")))?;
            let message: solana_message::VersionedMessage = bincode::deserialize(&bytes)
                .map_err(|error| invalid_params(format!("invalid message: {error}")))?;
            let fee = bank
                .is_blockhash_valid(message.recent_blockhash())
                .then(|| {
                    let per_signature = bank
                        .cluster()
                        .svm()
                        .get_fee_structure()
                        .lamports_per_signature;
                    per_signature
                        .saturating_mul(u64::from(message.header().num_required_signatures))
                });
            respond(slot, fee)
        }
        "getRecentPrioritizationFees" => {
            let (addresses,) = optional::<(Option<Vec<String>>,)>(params)?;
            for address in addresses.iter().flatten() {
                pubkey(address)?;
            }
            // No fee market on a one-node cluster: every recent slot's
            // lowest prioritization fee is zero.
            let slot = bank.slot();
            let fees: Vec<RpcPrioritizationFee> = (slot.saturating_sub(149)..=slot)
                .map(|slot| RpcPrioritizationFee {
                    slot,
                    prioritization_fee: 0,
                })
                .collect();
            to_value(fees)
        }
        "getMinimumBalanceForRentExemption" => {
            let (length, _config) = parse::<(usize, Option<RpcContextConfig>)>(params)?;
            Ok(json!(bank.cluster().rent().minimum_balance(length)))
        }
        "getBalance" => {
            let (address, config) = parse::<(String, Option<RpcContextConfig>)>(params)?;
            let slot = context_slot(bank, config.as_ref())?;
            let account = account(bank, &pubkey(&address)?)?;
            respond(slot, account.map_or(0, |account| account.lamports))
        }
        "getAccountInfo" => {
            let (address, config) = parse::<(String, Option<RpcAccountInfoConfig>)>(params)?;
            let config = config.unwrap_or_default();
            let slot = context_slot_of(bank, config.commitment, config.min_context_slot)?;
            let address = pubkey(&address)?;
            let found = account(bank, &address)?;
            let encoded = found
                .map(|found| encode(bank, &address, &found, &config))
                .transpose()?;
            respond(slot, encoded)
        }
        "getMultipleAccounts" => {
            let (addresses, config) = parse::<(Vec<String>, Option<RpcAccountInfoConfig>)>(params)?;
            if addresses.len() > MAX_MULTIPLE_ACCOUNTS {
                return Err(invalid_params(format!(
                    "Too many inputs provided; max {MAX_MULTIPLE_ACCOUNTS}"
                )));
            }
            let config = config.unwrap_or_default();
            let slot = context_slot_of(bank, config.commitment, config.min_context_slot)?;
            let mut accounts = Vec::with_capacity(addresses.len());
            for address in &addresses {
                let address = pubkey(address)?;
                accounts.push(
                    account(bank, &address)?
                        .map(|found| encode(bank, &address, &found, &config))
                        .transpose()?,
                );
            }
            respond(slot, accounts)
        }
        "getProgramAccounts" => {
            let (program, config) = parse::<(String, Option<RpcProgramAccountsConfig>)>(params)?;
            let config = config.unwrap_or_default();
            let program = pubkey(&program)?;
            let slot = context_slot_of(
                bank,
                config.account_config.commitment,
                config.account_config.min_context_slot,
            )?;
            let filters = config.filters.unwrap_or_default();
            let found = program_accounts(bank, &program, &filters)?;
            let keyed = keyed_accounts(bank, found, &config.account_config)?;
            if config.with_context.unwrap_or(false) {
                respond(slot, keyed)
            } else {
                to_value(keyed)
            }
        }
        "getTokenAccountBalance" => {
            let (address, config) = parse::<(String, Option<RpcContextConfig>)>(params)?;
            let slot = context_slot(bank, config.as_ref())?;
            let address = pubkey(&address)?;
            let found = account(bank, &address)?
                .filter(|found| is_token_program(&found.owner))
                .and_then(|found| token_fields(&found.data))
                .ok_or_else(|| invalid_params("Invalid param: not a Token account".into()))?;
            let (mint, _owner, amount) = found;
            let decimals = mint_decimals(bank, &mint)?.ok_or_else(|| {
                invalid_params("Invalid param: mint could not be unpacked".into())
            })?;
            respond(
                slot,
                token_amount_to_ui_amount_v3(
                    amount,
                    &SplTokenAdditionalDataV2::with_decimals(decimals),
                ),
            )
        }
        "getTokenAccountsByOwner" => {
            let (owner, filter, config) =
                parse::<(String, RpcTokenAccountsFilter, Option<RpcAccountInfoConfig>)>(params)?;
            let owner = pubkey(&owner)?;
            let config = config.unwrap_or_default();
            let slot = context_slot_of(bank, config.commitment, config.min_context_slot)?;
            let (programs, mint) = match filter {
                RpcTokenAccountsFilter::Mint(mint) => {
                    let mint = pubkey(&mint)?;
                    let owner_program = account(bank, &mint)?
                        .map(|found| found.owner)
                        .filter(is_token_program)
                        .ok_or_else(|| {
                            invalid_params("Invalid param: could not find mint".into())
                        })?;
                    (vec![owner_program], Some(mint))
                }
                RpcTokenAccountsFilter::ProgramId(program) => {
                    let program = pubkey(&program)?;
                    if !is_token_program(&program) {
                        return Err(invalid_params(
                            "Invalid param: unrecognized Token program id".into(),
                        ));
                    }
                    (vec![program], None)
                }
            };
            let mut found = Vec::new();
            for program in programs {
                let mut filters = vec![AccountFilter::Memcmp {
                    offset: 32,
                    bytes: owner.to_bytes().to_vec(),
                }];
                if let Some(mint) = mint {
                    filters.push(AccountFilter::Memcmp {
                        offset: 0,
                        bytes: mint.to_bytes().to_vec(),
                    });
                }
                found.extend(
                    bank.cluster()
                        .get_program_accounts(&program, &filters)
                        .map_err(internal)?
                        .into_iter()
                        .filter(|(_, found)| token_fields(&found.data).is_some()),
                );
            }
            respond(slot, keyed_accounts(bank, found, &config)?)
        }
        "getSignatureStatuses" => {
            let (signatures, _config) =
                parse::<(Vec<String>, Option<RpcSignatureStatusConfig>)>(params)?;
            if signatures.len() > MAX_SIGNATURE_STATUSES {
                return Err(invalid_params(format!(
                    "Too many inputs provided; max {MAX_SIGNATURE_STATUSES}"
                )));
            }
            let mut statuses = Vec::with_capacity(signatures.len());
            for signature in &signatures {
                let signature = signature_param(signature)?;
                statuses.push(bank.landed(&signature).map(|landed| status(bank, landed)));
            }
            respond(bank.slot(), statuses)
        }
        "getTransaction" => {
            let (signature, config) = parse::<(String, Option<TransactionConfigParam>)>(params)?;
            let config = match config {
                None => RpcTransactionConfig::default(),
                Some(TransactionConfigParam::Encoding(encoding)) => RpcTransactionConfig {
                    encoding: Some(encoding),
                    ..RpcTransactionConfig::default()
                },
                Some(TransactionConfigParam::Config(config)) => config,
            };
            let signature = signature_param(&signature)?;
            let commitment = match config.commitment {
                None => Commitment::Finalized,
                Some(commitment) if commitment.is_processed() => {
                    return Err(invalid_params(
                        "Method does not support commitment below `confirmed`".into(),
                    ))
                }
                Some(commitment) => Commitment::from_config(Some(commitment)),
            };
            let Some(landed) = bank.landed(&signature) else {
                return Ok(Value::Null);
            };
            if landed.slot > bank.slot_at(commitment) {
                return Ok(Value::Null);
            }
            to_value(encode_transaction(
                landed,
                config.encoding.unwrap_or(UiTransactionEncoding::Json),
                config.max_supported_transaction_version,
            )?)
        }
        "sendTransaction" => {
            let (data, config) = parse::<(String, Option<RpcSendTransactionConfig>)>(params)?;
            let config = config.unwrap_or_default();
            let transaction = decode_transaction(&data, config.encoding)?;
            send_transaction(bank, transaction, config.skip_preflight)
        }
        "simulateTransaction" => {
            let (data, config) = parse::<(String, Option<RpcSimulateTransactionConfig>)>(params)?;
            let config = config.unwrap_or_default();
            let transaction = decode_transaction(&data, config.encoding)?;
            simulate_transaction(bank, transaction, &config)
        }
        "requestAirdrop" => {
            let (address, lamports, _config) =
                parse::<(String, u64, Option<RpcRequestAirdropConfig>)>(params)?;
            let address = pubkey(&address)?;
            match bank.airdrop(&address, lamports) {
                Ok(signature) => Ok(json!(signature.to_string())),
                Err(Refusal::Transaction(error)) => Err(Error {
                    code: ErrorCode::InternalError,
                    message: format!("airdrop of {lamports} lamports failed: {error}"),
                    data: None,
                }),
                Err(Refusal::Node(error)) => Err(internal(error)),
            }
        }
        // A local node's time travel (what `depin warp` calls): the clock
        // moves `seconds` forward, one slot per 400 ms.
        "depin_warp" => {
            let (seconds,) = parse::<(i64,)>(params)?;
            let clock = bank.warp(seconds).map_err(invalid_params)?;
            Ok(json!({
                "slot": clock.slot,
                "epoch": clock.epoch,
                "unixTimestamp": clock.unix_timestamp,
            }))
        }
        _ => Err(Error::method_not_found()),
    }
}

/// `getTransaction`'s second parameter: a config, or (old clients) the
/// encoding alone.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum TransactionConfigParam {
    Encoding(UiTransactionEncoding),
    Config(RpcTransactionConfig),
}

fn to_value(value: impl serde::Serialize) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|error| internal(error.to_string()))
}

fn respond(slot: u64, value: impl serde::Serialize) -> Result<Value, Error> {
    to_value(Response {
        context: RpcResponseContext {
            slot,
            api_version: Some(RpcApiVersion::default()),
        },
        value,
    })
}

pub fn invalid_params(message: String) -> Error {
    Error {
        code: ErrorCode::InvalidParams,
        message,
        data: None,
    }
}

fn internal(error: impl ToString) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: error.to_string(),
        data: None,
    }
}

/// Positional parameters; trailing optional ones may be left out, as a
/// validator accepts.
pub(crate) fn parse<T: DeserializeOwned>(params: Params) -> Result<T, Error> {
    let mut values = match params {
        Params::Array(values) => values,
        Params::None => Vec::new(),
        Params::Map(_) => {
            return Err(invalid_params(
                "Invalid params: expected an array of positional parameters.".into(),
            ))
        }
    };
    let first_error = match Params::Array(values.clone()).parse::<T>() {
        Ok(parsed) => return Ok(parsed),
        Err(error) => error,
    };
    // Fill left-out trailing parameters with null (each is an Option).
    for _ in 0..3 {
        values.push(Value::Null);
        if let Ok(parsed) = Params::Array(values.clone()).parse::<T>() {
            return Ok(parsed);
        }
    }
    Err(first_error)
}

/// Positional parameters that may all be left out.
fn optional<T: DeserializeOwned>(params: Params) -> Result<T, Error> {
    parse(params)
}

fn pubkey(text: &str) -> Result<Pubkey, Error> {
    Pubkey::from_str(text).map_err(|_| invalid_params(format!("Invalid param: {text}")))
}

fn signature_param(text: &str) -> Result<Signature, Error> {
    Signature::from_str(text).map_err(|_| invalid_params(format!("Invalid param: {text}")))
}

fn account(bank: &Bank, address: &Pubkey) -> Result<Option<Account>, Error> {
    bank.account(address).map_err(internal)
}

fn context_slot(bank: &Bank, config: Option<&RpcContextConfig>) -> Result<u64, Error> {
    context_slot_of(
        bank,
        config.and_then(|config| config.commitment),
        config.and_then(|config| config.min_context_slot),
    )
}

/// The slot a read answers at, refusing a `minContextSlot` not reached.
fn context_slot_of(
    bank: &Bank,
    commitment: Option<solana_commitment_config::CommitmentConfig>,
    min_context_slot: Option<u64>,
) -> Result<u64, Error> {
    let slot = bank.slot_at(Commitment::from_config(commitment));
    match min_context_slot {
        Some(minimum) if minimum > slot => {
            Err(RpcCustomError::MinContextSlotNotReached { context_slot: slot }.into())
        }
        _ => Ok(slot),
    }
}

fn epoch_info(bank: &Bank, slot: u64) -> Result<Value, Error> {
    let schedule: solana_epoch_schedule::EpochSchedule = bank.cluster().svm().get_sysvar();
    let (epoch, slot_index) = schedule.get_epoch_and_slot_index(slot);
    to_value(solana_epoch_info::EpochInfo {
        epoch,
        slot_index,
        slots_in_epoch: schedule.get_slots_in_epoch(epoch),
        absolute_slot: slot,
        block_height: slot,
        transaction_count: None,
    })
}

fn is_token_program(program: &Pubkey) -> bool {
    *program == depin_sdk::token::SPL_TOKEN_PROGRAM_ID
        || *program == depin_sdk::token::TOKEN_2022_PROGRAM_ID
}

/// A token account's mint, owner and amount (SPL Token's layout, shared by
/// Token-2022).
fn token_fields(data: &[u8]) -> Option<(Pubkey, Pubkey, u64)> {
    // 165 bytes, or Token-2022's extended account (type byte 2 at 165).
    if data.len() != 165 && data.get(165) != Some(&2) {
        return None;
    }
    let mint = Pubkey::new_from_array(data.get(0..32)?.try_into().ok()?);
    let owner = Pubkey::new_from_array(data.get(32..64)?.try_into().ok()?);
    let amount = u64::from_le_bytes(data.get(64..72)?.try_into().ok()?);
    Some((mint, owner, amount))
}

fn mint_decimals(bank: &Bank, mint: &Pubkey) -> Result<Option<u8>, Error> {
    Ok(account(bank, mint)?
        .filter(|found| is_token_program(&found.owner))
        .and_then(|found| found.data.get(44).copied()))
}

fn v3_pubkey(key: &Pubkey) -> solana_pubkey_v3::Pubkey {
    solana_pubkey_v3::Pubkey::new_from_array(key.to_bytes())
}

/// An account as the RPC encodes it; `jsonParsed` token accounts carry
/// their mint's decimals as a validator's do.
pub fn encode_account(
    bank: &Bank,
    address: &Pubkey,
    found: &Account,
    encoding: UiAccountEncoding,
    data_slice: Option<UiDataSliceConfig>,
) -> Result<UiAccount, Error> {
    // As a validator: base58 only for at most 128 bytes (of the slice, if
    // one is asked), refused as an invalid request.
    let encoded_length = data_slice
        .map(|slice| {
            slice
                .length
                .min(found.data.len().saturating_sub(slice.offset))
        })
        .unwrap_or(found.data.len());
    if matches!(
        encoding,
        UiAccountEncoding::Binary | UiAccountEncoding::Base58
    ) && encoded_length > MAX_BASE58_BYTES
    {
        return Err(Error {
            code: ErrorCode::InvalidRequest,
            message: format!(
                "Encoded binary (base 58) data should be less than {MAX_BASE58_BYTES} bytes, please use Base64 encoding."
            ),
            data: None,
        });
    }
    let additional = if encoding == UiAccountEncoding::JsonParsed && is_token_program(&found.owner)
    {
        let decimals = match token_fields(&found.data) {
            Some((mint, _, _)) => mint_decimals(bank, &mint)?,
            None => found.data.get(44).copied(),
        };
        decimals.map(|decimals| AccountAdditionalDataV3 {
            spl_token_additional_data: Some(SplTokenAdditionalDataV2::with_decimals(decimals)),
        })
    } else {
        None
    };
    let v3 = solana_account_v3::Account {
        lamports: found.lamports,
        data: found.data.clone(),
        owner: v3_pubkey(&found.owner),
        executable: found.executable,
        rent_epoch: found.rent_epoch,
    };
    Ok(encode_ui_account(
        &v3_pubkey(address),
        &v3,
        encoding,
        additional,
        data_slice,
    ))
}

fn encode(
    bank: &Bank,
    address: &Pubkey,
    found: &Account,
    config: &RpcAccountInfoConfig,
) -> Result<UiAccount, Error> {
    encode_account(
        bank,
        address,
        found,
        config.encoding.unwrap_or(UiAccountEncoding::Binary),
        config.data_slice,
    )
}

fn keyed_accounts(
    bank: &Bank,
    found: Vec<(Pubkey, Account)>,
    config: &RpcAccountInfoConfig,
) -> Result<Vec<RpcKeyedAccount>, Error> {
    found
        .iter()
        .map(|(address, account)| {
            Ok(RpcKeyedAccount {
                pubkey: address.to_string(),
                account: encode(bank, address, account, config)?,
            })
        })
        .collect()
}

/// `getProgramAccounts` with a validator's filters.
pub fn program_accounts(
    bank: &Bank,
    program: &Pubkey,
    filters: &[RpcFilterType],
) -> Result<Vec<(Pubkey, Account)>, Error> {
    if filters.len() > MAX_GET_PROGRAM_ACCOUNT_FILTERS {
        return Err(invalid_params(format!(
            "Too many filters provided; max {MAX_GET_PROGRAM_ACCOUNT_FILTERS}"
        )));
    }
    let mut account_filters = Vec::new();
    let mut token_state = false;
    for filter in filters {
        filter
            .verify()
            .map_err(|error| invalid_params(format!("Invalid param: {error:?}")))?;
        match filter {
            RpcFilterType::DataSize(size) => account_filters.push(AccountFilter::DataSize(*size)),
            RpcFilterType::Memcmp(memcmp) => {
                let bytes = memcmp
                    .bytes()
                    .ok_or_else(|| invalid_params("Invalid param: memcmp bytes".into()))?;
                account_filters.push(AccountFilter::Memcmp {
                    offset: memcmp.offset(),
                    bytes: bytes.into_owned(),
                });
            }
            RpcFilterType::TokenAccountState => token_state = true,
        }
    }
    let found = bank
        .cluster()
        .get_program_accounts(program, &account_filters)
        .map_err(internal)?;
    Ok(found
        .into_iter()
        .filter(|(_, found)| !token_state || token_fields(&found.data).is_some())
        .collect())
}

fn decode_transaction(
    data: &str,
    encoding: Option<UiTransactionEncoding>,
) -> Result<VersionedTransaction, Error> {
    let encoding = encoding.unwrap_or(UiTransactionEncoding::Base58);
    let too_large = |encoded: usize, raw: Option<usize>| {
        invalid_params(format!(
            "{encoding} encoded solana_transaction::versioned::VersionedTransaction too large: {} bytes (max: encoded/raw {}/{PACKET_DATA_SIZE})",
            raw.unwrap_or(encoded),
            if encoding == UiTransactionEncoding::Base58 { 1683 } else { 1644 },
        ))
    };
    let bytes = match encoding {
        UiTransactionEncoding::Base58 => {
            if data.len() > 1683 {
                return Err(too_large(data.len(), None));
            }
            bs58::decode(data)
                .into_vec()
                .map_err(|error| invalid_params(format!("invalid base58 encoding: {error:?}")))?
        }
        UiTransactionEncoding::Base64 => {
            if data.len() > 1644 {
                return Err(too_large(data.len(), None));
            }
            BASE64
                .decode(data)
                .map_err(|error| invalid_params(format!("invalid base64 encoding: {error:?}")))?
        }
        other => {
            return Err(invalid_params(format!(
                "unsupported encoding: {other}. Supported encodings: base58, base64"
            )))
        }
    };
    if bytes.len() > PACKET_DATA_SIZE {
        return Err(too_large(data.len(), Some(bytes.len())));
    }
    let transaction: VersionedTransaction = bincode::deserialize(&bytes).map_err(|error| {
        invalid_params(format!(
            "failed to deserialize solana_transaction::versioned::VersionedTransaction: {error}"
        ))
    })?;
    transaction.sanitize().map_err(|error| {
        invalid_params(format!(
            "invalid transaction: {}",
            TransactionError::from(error)
        ))
    })?;
    Ok(transaction)
}

fn ui_error(
    error: &Option<TransactionError>,
) -> Option<solana_transaction_status_client_types::UiTransactionError> {
    error.clone().map(Into::into)
}

fn send_transaction(
    bank: &mut Bank,
    transaction: VersionedTransaction,
    skip_preflight: bool,
) -> Result<Value, Error> {
    let signature = transaction.signatures[0];
    if !skip_preflight {
        if transaction.verify_with_results().iter().any(|valid| !valid) {
            return Err(RpcCustomError::TransactionSignatureVerificationFailure.into());
        }
        let config = RpcSimulateTransactionConfig {
            sig_verify: false,
            ..RpcSimulateTransactionConfig::default()
        };
        let result = simulation(bank, transaction.clone(), &config)?;
        if let Some(error) = &result.err {
            let error: TransactionError = error.clone().into();
            return Err(RpcCustomError::SendTransactionPreflightFailure {
                message: format!("Transaction simulation failed: {error}"),
                result,
            }
            .into());
        }
    }
    match bank.process(transaction) {
        Ok(_) => Ok(json!(signature.to_string())),
        // Without preflight a validator takes the transaction and drops it
        // later; so does this node (its status never appears).
        Err(Refusal::Transaction(error)) if skip_preflight => {
            let _ = error;
            Ok(json!(signature.to_string()))
        }
        Err(Refusal::Transaction(error)) => Err(RpcCustomError::SendTransactionPreflightFailure {
            message: format!("Transaction simulation failed: {error}"),
            result: RpcSimulateTransactionResult {
                err: Some(error.into()),
                ..empty_simulation()
            },
        }
        .into()),
        Err(Refusal::Node(error)) => Err(internal(error)),
    }
}

fn empty_simulation() -> RpcSimulateTransactionResult {
    RpcSimulateTransactionResult {
        err: None,
        logs: None,
        accounts: None,
        units_consumed: None,
        loaded_accounts_data_size: None,
        return_data: None,
        inner_instructions: None,
        replacement_blockhash: None,
        fee: None,
        pre_balances: None,
        post_balances: None,
        pre_token_balances: None,
        post_token_balances: None,
        loaded_addresses: None,
    }
}

fn simulate_transaction(
    bank: &mut Bank,
    transaction: VersionedTransaction,
    config: &RpcSimulateTransactionConfig,
) -> Result<Value, Error> {
    let slot = context_slot_of(bank, config.commitment, config.min_context_slot)?;
    let result = simulation(bank, transaction, config)?;
    respond(slot, result)
}

fn simulation(
    bank: &mut Bank,
    mut transaction: VersionedTransaction,
    config: &RpcSimulateTransactionConfig,
) -> Result<RpcSimulateTransactionResult, Error> {
    if config.sig_verify && config.replace_recent_blockhash {
        return Err(invalid_params(
            "sigVerify may not be used with replaceRecentBlockhash".into(),
        ));
    }
    let mut replacement = None;
    if config.replace_recent_blockhash {
        let (blockhash, last_valid_block_height) = bank.latest_blockhash();
        transaction.message.set_recent_blockhash(blockhash);
        replacement = Some(RpcBlockhash {
            blockhash: blockhash.to_string(),
            last_valid_block_height,
        });
    }
    if config.sig_verify && transaction.verify_with_results().iter().any(|valid| !valid) {
        return Err(RpcCustomError::TransactionSignatureVerificationFailure.into());
    }
    if !bank.is_blockhash_valid(transaction.message.recent_blockhash()) {
        return Ok(RpcSimulateTransactionResult {
            err: Some(TransactionError::BlockhashNotFound.into()),
            accounts: None,
            replacement_blockhash: replacement,
            ..empty_simulation()
        });
    }
    if bank.landed(&transaction.signatures[0]).is_some() {
        return Ok(RpcSimulateTransactionResult {
            err: Some(TransactionError::AlreadyProcessed.into()),
            ..empty_simulation()
        });
    }
    let simulated = bank
        .cluster_mut()
        .simulate_transaction(transaction, false)
        .map_err(internal)?;
    let accounts = match &config.accounts {
        None => None,
        Some(wanted) => {
            let encoding = wanted.encoding.unwrap_or(UiAccountEncoding::Base64);
            let mut encoded = Vec::with_capacity(wanted.addresses.len());
            for address in &wanted.addresses {
                let address = pubkey(address)?;
                let after = simulated
                    .post_accounts
                    .iter()
                    .find(|(key, _)| *key == address)
                    .map(|(_, found)| found.clone());
                let found = match after {
                    Some(found) => Some(found),
                    None => account(bank, &address)?,
                };
                encoded.push(
                    found
                        .filter(|found| found.lamports > 0)
                        .map(|found| encode_account(bank, &address, &found, encoding, None))
                        .transpose()?,
                );
            }
            Some(encoded)
        }
    };
    let inner_instructions = config
        .inner_instructions
        .then(|| ui_inner_instructions(&simulated.meta.inner_instructions));
    Ok(RpcSimulateTransactionResult {
        err: ui_error(&simulated.error),
        logs: Some(simulated.meta.logs.clone()),
        accounts,
        units_consumed: Some(simulated.meta.compute_units_consumed),
        return_data: return_data(&simulated.meta.return_data),
        inner_instructions,
        replacement_blockhash: replacement,
        fee: Some(simulated.meta.fee),
        ..empty_simulation()
    })
}

fn return_data(
    data: &solana_transaction_context::transaction::TransactionReturnData,
) -> Option<UiTransactionReturnData> {
    (!data.data.is_empty()).then(|| UiTransactionReturnData {
        program_id: data.program_id.to_string(),
        data: (BASE64.encode(&data.data), UiReturnDataEncoding::Base64),
    })
}

fn ui_inner_instructions(
    inner: &[Vec<solana_message::inner_instruction::InnerInstruction>],
) -> Vec<UiInnerInstructions> {
    inner
        .iter()
        .enumerate()
        .filter(|(_, instructions)| !instructions.is_empty())
        .map(|(index, instructions)| UiInnerInstructions {
            index: index as u8,
            instructions: instructions
                .iter()
                .map(|inner| {
                    UiInstruction::Compiled(UiCompiledInstruction {
                        program_id_index: inner.instruction.program_id_index,
                        accounts: inner.instruction.accounts.clone(),
                        data: bs58::encode(&inner.instruction.data).into_string(),
                        stack_height: Some(u32::from(inner.stack_height)),
                    })
                })
                .collect(),
        })
        .collect()
}

/// A landed transaction's status now.
pub fn status(bank: &Bank, landed: &Landed) -> TransactionStatus {
    let confirmations = bank.confirmations(landed);
    let (confirmations, confirmation_status) = if confirmations >= Commitment::Finalized.depth() {
        (None, TransactionConfirmationStatus::Finalized)
    } else if confirmations >= Commitment::Confirmed.depth() {
        (
            Some(confirmations as usize),
            TransactionConfirmationStatus::Confirmed,
        )
    } else {
        (Some(0), TransactionConfirmationStatus::Processed)
    };
    let error = landed.executed.error.clone();
    TransactionStatus {
        slot: landed.slot,
        confirmations,
        status: match &error {
            None => Ok(()),
            Some(error) => Err(error.clone()),
        },
        err: error,
        confirmation_status: Some(confirmation_status),
    }
}

fn encode_transaction(
    landed: &Landed,
    encoding: UiTransactionEncoding,
    max_supported_version: Option<u8>,
) -> Result<EncodedConfirmedTransactionWithStatusMeta, Error> {
    let transaction = &landed.transaction;
    let version = match &transaction.message {
        solana_message::VersionedMessage::Legacy(_) => None,
        solana_message::VersionedMessage::V0(_) => Some(0u8),
        solana_message::VersionedMessage::V1(_) => Some(1u8),
    };
    if let Some(version) = version {
        match max_supported_version {
            Some(max) if version <= max => {}
            _ => return Err(RpcCustomError::UnsupportedTransactionVersion(version).into()),
        }
    }
    let encoded = match encoding {
        UiTransactionEncoding::Base64 => EncodedTransaction::Binary(
            BASE64.encode(bincode::serialize(transaction).map_err(internal)?),
            TransactionBinaryEncoding::Base64,
        ),
        UiTransactionEncoding::Base58 => EncodedTransaction::Binary(
            bs58::encode(bincode::serialize(transaction).map_err(internal)?).into_string(),
            TransactionBinaryEncoding::Base58,
        ),
        // The deprecated `binary`: base58 without the encoding's name.
        UiTransactionEncoding::Binary => EncodedTransaction::LegacyBinary(
            bs58::encode(bincode::serialize(transaction).map_err(internal)?).into_string(),
        ),
        UiTransactionEncoding::Json => EncodedTransaction::Json(ui_transaction(transaction)),
        other => {
            return Err(invalid_params(format!(
                "unsupported encoding: {other}. Supported encodings: json, binary, base58, base64"
            )))
        }
    };
    let executed = &landed.executed;
    let static_count = transaction.message.static_account_keys().len();
    let loaded = transaction.message.address_table_lookups().map(|lookups| {
        let writable_count: usize = lookups
            .iter()
            .map(|lookup| lookup.writable_indexes.len())
            .sum();
        let dynamic = &executed.keys[static_count.min(executed.keys.len())..];
        let (writable, readonly) = dynamic.split_at(writable_count.min(dynamic.len()));
        UiLoadedAddresses {
            writable: writable.iter().map(ToString::to_string).collect(),
            readonly: readonly.iter().map(ToString::to_string).collect(),
        }
    });
    let error = ui_error(&executed.error);
    let meta = UiTransactionStatusMeta {
        err: error.clone(),
        status: match error {
            None => Ok(()),
            Some(error) => Err(error),
        },
        fee: executed.meta.fee,
        pre_balances: executed.pre_balances.clone(),
        post_balances: executed.post_balances.clone(),
        inner_instructions: Some(ui_inner_instructions(&executed.meta.inner_instructions)).into(),
        log_messages: Some(executed.meta.logs.clone()).into(),
        pre_token_balances: Some(Vec::new()).into(),
        post_token_balances: Some(Vec::new()).into(),
        rewards: Some(Vec::new()).into(),
        loaded_addresses: Some(loaded.unwrap_or_default()).into(),
        return_data: return_data(&executed.meta.return_data).into(),
        compute_units_consumed: Some(executed.meta.compute_units_consumed).into(),
        cost_units:
            solana_transaction_status_client_types::option_serializer::OptionSerializer::Skip,
    };
    Ok(EncodedConfirmedTransactionWithStatusMeta {
        slot: landed.slot,
        transaction: EncodedTransactionWithStatusMeta {
            transaction: encoded,
            meta: Some(meta),
            version: version
                .map(solana_transaction_v3::versioned::TransactionVersion::Number)
                .or(max_supported_version
                    .map(|_| solana_transaction_v3::versioned::TransactionVersion::LEGACY)),
        },
        block_time: Some(landed.block_time),
    })
}

/// A transaction in the validator's `json` encoding (the raw message).
fn ui_transaction(transaction: &VersionedTransaction) -> UiTransaction {
    let message = &transaction.message;
    let header = message.header();
    UiTransaction {
        signatures: transaction
            .signatures
            .iter()
            .map(ToString::to_string)
            .collect(),
        message: UiMessage::Raw(UiRawMessage {
            header: solana_message_v3::MessageHeader {
                num_required_signatures: header.num_required_signatures,
                num_readonly_signed_accounts: header.num_readonly_signed_accounts,
                num_readonly_unsigned_accounts: header.num_readonly_unsigned_accounts,
            },
            account_keys: message
                .static_account_keys()
                .iter()
                .map(ToString::to_string)
                .collect(),
            recent_blockhash: message.recent_blockhash().to_string(),
            instructions: message
                .instructions()
                .iter()
                .map(|instruction| UiCompiledInstruction {
                    program_id_index: instruction.program_id_index,
                    accounts: instruction.accounts.clone(),
                    data: bs58::encode(&instruction.data).into_string(),
                    stack_height: None,
                })
                .collect(),
            address_table_lookups: message.address_table_lookups().map(|lookups| {
                lookups
                    .iter()
                    .map(|lookup| UiAddressTableLookup {
                        account_key: lookup.account_key.to_string(),
                        writable_indexes: lookup.writable_indexes.clone(),
                        readonly_indexes: lookup.readonly_indexes.clone(),
                    })
                    .collect()
            }),
        }),
    }
}
