//! What the demo prints: the network, its device classes, the governance
//! round, the epochs, the supply chart and the ledger's totals.

use {
    super::{
        governance::{GovernanceReport, DAY, HOLDERS, HOUR},
        oracles::OracleNetwork,
        setup::{Demo, Fleet},
        simulation::EpochRow,
        LAMPORTS_PER_SOL,
    },
    anyhow::{ensure, Result},
    comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table},
    depin_client::backend::BackendExt,
    depin_oracle::simulate::Behavior,
    depin_sdk::{
        accounts::{Device, RegistryConfig},
        governance::{self, LockupKind},
        pda,
        rewards::state::RecipientRecord,
    },
    std::time::Instant,
    textplots::{Chart, Plot, Shape},
};

/// A finished run, as the report needs it.
pub(super) struct Run<'a> {
    pub(super) seed: u64,
    pub(super) operators: u64,
    pub(super) fleet: &'a Fleet,
    pub(super) network: &'a OracleNetwork,
    pub(super) rows: &'a [EpochRow],
    pub(super) governance: Option<&'a GovernanceReport>,
    pub(super) economy_seconds: f64,
    pub(super) started: Instant,
}

fn right(value: impl ToString) -> Cell {
    Cell::new(value.to_string()).set_alignment(CellAlignment::Right)
}

impl Demo {
    pub(super) fn print_report(&self, run: &Run) -> Result<()> {
        let registry = self.authority.registry_config()?;
        let devices = run.fleet.devices.len();
        let epochs = run.rows.len();
        println!(
            "DePIN network on the embedded runtime (seed {}): {} devices, {} owners, {} oracles (quorum {}), {} epochs; {} devices pay their rewards to a fleet wallet",
            run.seed,
            devices,
            run.operators,
            self.oracles.len(),
            self.oracle_config.quorum,
            epochs,
            run.fleet.paying_fleet_wallet
        );
        println!("{}", class_table(&registry));
        if let Some(report) = run.governance {
            let (votes, life) = self.governance_tables(report);
            println!("{}", self.governance_summary(report));
            println!("{votes}");
            println!("{life}");
        }
        println!("{}", self.epoch_table(run.rows));
        println!("{}", self.behavior_report(run.network));
        println!("{}", self.supply_chart(run.rows));
        println!("{}", self.summary_table(run, &registry)?);
        println!(
            "ledger invariants hold after every epoch: supply = minted − burned for tokens and credits; claims ≤ issuance; locked tokens = vault"
        );
        println!(
            "{} devices onboarded in {:.1} s; {} epochs in {:.1} s ({:.1} s in all)",
            devices,
            run.fleet.registration_seconds,
            epochs,
            run.economy_seconds,
            run.started.elapsed().as_secs_f64()
        );
        println!("{}", self.time_table(run));
        Ok(())
    }

    /// Where the time went, per phase, and the rates per CPU-second.
    fn time_table(&self, run: &Run) -> String {
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
            "where the time went",
            "wall s",
            "CPU s",
            "CPU share",
        ]);
        let total_cpu: f64 = self.phases.rows().iter().map(|(_, _, cpu)| cpu).sum();
        for (phase, wall, cpu) in self.phases.rows() {
            table.add_row(vec![
                Cell::new(phase),
                right(format!("{wall:.2}")),
                right(format!("{cpu:.2}")),
                right(format!(
                    "{:.0} %",
                    100.0 * cpu / total_cpu.max(f64::EPSILON)
                )),
            ]);
        }
        let claims: u64 = run.rows.iter().map(|row| row.claims).sum();
        let claim_cpu = self.phases.cpu("claims") + self.phases.cpu("payouts and oracle claims");
        let registration_cpu = self.phases.cpu("registering devices");
        format!(
            "{table}\n{:.0} registrations and {:.0} claims per CPU-second; peak memory {} MiB",
            run.fleet.devices.len() as f64 / registration_cpu.max(f64::EPSILON),
            claims as f64 / claim_cpu.max(f64::EPSILON),
            super::peak_memory_mib()
        )
    }

    /// The oracle nodes' side: the rule, what they accepted and refused,
    /// and what each kind of device earned over the run.
    fn behavior_report(&self, network: &OracleNetwork) -> String {
        let rule = &network.rule;
        let ledger = &network.ledger;
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
            "devices that",
            "devices",
            "reports sent to each node",
            "tokens earned",
            "per device",
        ]);
        for (behavior, row) in &ledger.rows {
            let what = match behavior {
                Behavior::Honest => "report honestly",
                Behavior::Offline => "stay offline",
                Behavior::Replays => "replay every report",
                Behavior::Forges => "sign with another key",
            };
            table.add_row(vec![
                Cell::new(what),
                right(row.devices),
                right(row.sent),
                right(self.tokens(row.earned)),
                right(self.tokens(row.earned / row.devices.max(1))),
            ]);
        }
        let refused = ledger
            .refused
            .iter()
            .map(|(code, count)| format!("{count} {code}"))
            .collect::<Vec<_>>()
            .join(", ");
        let nodes = network.urls().len();
        let (nodes_text, checked) = if nodes == 1 {
            (
                "1 oracle node".to_string(),
                "every batch matches the rule's model (one oracle: no follower recomputed it)",
            )
        } else {
            (
                format!("{nodes} oracle nodes"),
                "every batch was recomputed by the followers and matches the rule's model",
            )
        };
        format!(
            "{nodes_text} on loopback; reward rule v{}: a heartbeat and a usage report every {} h, \
             {} % of each epoch's device pool by uptime, the rest by usage\n\
             every node accepted {} reports and refused the same ones ({}); {checked}\n{table}",
            rule.version,
            rule.heartbeat_interval_seconds / 3_600,
            rule.uptime_share_bps / 100,
            ledger.accepted,
            if refused.is_empty() { "none".into() } else { refused },
        )
    }

    /// Whole tokens with two decimals (display only).
    pub(super) fn tokens(&self, amount: u64) -> String {
        let unit = self.unit();
        format!("{}.{:02}", amount / unit, (amount % unit) * 100 / unit)
    }

    /// Voting power in whole tokens (display only).
    fn power(&self, power: u128) -> String {
        self.tokens(u64::try_from(power).unwrap_or(u64::MAX))
    }

    fn summary_table(&self, run: &Run, registry: &RegistryConfig) -> Result<Table> {
        let config = self.authority.rewards_config()?;
        let claims: u64 = run.rows.iter().map(|row| row.claims).sum();
        let rent = run.fleet.rent_per_device;
        let record_rent = self.check_recipient_record(run)?;
        let rows: Vec<(&str, String)> = vec![
            ("network token supply", self.tokens(self.token_supply())),
            (
                "tokens minted (emission + re-emission)",
                self.tokens(config.tokens_minted),
            ),
            (
                "tokens burned for data credits",
                self.tokens(config.tokens_burned),
            ),
            ("tokens re-emitted", self.tokens(config.tokens_reemitted)),
            (
                "device pool issued / claimed",
                format!(
                    "{} / {}",
                    self.tokens(config.device_issued),
                    self.tokens(config.device_claimed)
                ),
            ),
            (
                "oracle pool issued / claimed",
                format!(
                    "{} / {}",
                    self.tokens(config.oracle_issued),
                    self.tokens(config.oracle_claimed)
                ),
            ),
            ("treasury issued", self.tokens(config.treasury_issued)),
            (
                "data credits minted / burned / supply",
                format!(
                    "{} / {} / {}",
                    config.dc_minted,
                    config.dc_burned + registry.fees_burned,
                    self.dc_supply()
                ),
            ),
            ("wallet claims paid", claims.to_string()),
            ("device account data (bytes)", Device::SPACE.to_string()),
            (
                "rent per device (lamports)",
                format!("{rent} ({:.6} SOL)", rent as f64 / LAMPORTS_PER_SOL as f64),
            ),
            (
                "wallet record data (bytes)",
                RecipientRecord::SPACE.to_string(),
            ),
            (
                "rent per wallet record (lamports)",
                format!(
                    "{record_rent} ({:.6} SOL)",
                    record_rent as f64 / LAMPORTS_PER_SOL as f64
                ),
            ),
            (
                "registrations per second",
                format!(
                    "{:.0}",
                    run.fleet.devices.len() as f64 / run.fleet.registration_seconds
                ),
            ),
        ];
        let mut summary = Table::new();
        summary
            .load_preset(UTF8_FULL_CONDENSED)
            .set_header(vec!["measure", "value"]);
        for (measure, value) in rows {
            summary.add_row(vec![Cell::new(measure), right(value)]);
        }
        Ok(summary)
    }

    /// Checks the size and rent of a wallet's claim record (the fleet
    /// wallet's, paid by the last epoch's payout at the latest, or the
    /// first owner's); returns the rent.
    fn check_recipient_record(&self, run: &Run) -> Result<u64> {
        let wallets = std::iter::once(&run.fleet.fleet_wallet).chain(&run.fleet.operators);
        let rent = self
            .chain()
            .minimum_balance_for_rent_exemption(RecipientRecord::SPACE)?;
        for wallet in wallets {
            let address = pda::recipient_record(&wallet.client.address()).0;
            if let Some(account) = self.chain().account(&address)? {
                ensure!(
                    account.lamports == rent && account.data.len() == RecipientRecord::SPACE,
                    "a wallet record holds {} lamports and {} bytes; expected {rent} and {}",
                    account.lamports,
                    account.data.len(),
                    RecipientRecord::SPACE
                );
                return Ok(rent);
            }
        }
        Err(anyhow::anyhow!(
            "no wallet was ever paid: no wallet record to measure"
        ))
    }

    fn epoch_table(&self, rows: &[EpochRow]) -> Table {
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
            "epoch",
            "price ($)",
            "emitted",
            "re-emitted",
            "burned for DC",
            "DC minted",
            "DC burned",
            "claimed",
            "claims",
            "supply",
        ]);
        for row in rows {
            table.add_row(vec![
                right(row.epoch),
                right(format!("{:.4}", row.price as f64 / 1e6)),
                right(self.tokens(row.issued.emission)),
                right(self.tokens(row.issued.reemission)),
                right(self.tokens(row.tokens_burned)),
                right(row.dc_minted),
                right(row.dc_burned),
                right(self.tokens(row.claimed)),
                right(row.claims),
                right(self.tokens(row.supply)),
            ]);
        }
        table
    }

    /// Token supply (whole tokens) by epoch, as a terminal chart.
    fn supply_chart(&self, rows: &[EpochRow]) -> String {
        let unit = self.unit() as f32;
        let points: Vec<(f32, f32)> = rows
            .iter()
            .map(|row| (row.epoch as f32, row.supply as f32 / unit))
            .collect();
        let first = rows.first().map_or(0.0, |row| row.epoch as f32);
        let last = rows
            .last()
            .map_or(1.0, |row| row.epoch as f32)
            .max(first + 1.0);
        let shape = Shape::Lines(&points);
        let mut chart = Chart::new(120, 40, first, last);
        let chart = chart.lineplot(&shape);
        chart.axis();
        chart.figures();
        format!("network token supply (whole tokens) by epoch\n{chart}")
    }

    fn governance_tables(&self, report: &GovernanceReport) -> (Table, Table) {
        let proposal = &report.proposal;
        let mut votes = Table::new();
        votes.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
            "holder",
            "locked",
            "lockup",
            "vote",
            "voting power",
        ]);
        for (plan, power) in HOLDERS.iter().zip(&report.powers) {
            let lockup = match plan.kind {
                LockupKind::Constant => format!("constant {} d", plan.lockup / DAY),
                LockupKind::Cliff => format!("cliff {} d", plan.lockup / DAY),
            };
            votes.add_row(vec![
                Cell::new(plan.name),
                right(self.tokens(plan.tokens * self.unit())),
                Cell::new(lockup),
                Cell::new(format!("{:?}", plan.vote)),
                right(self.power(*power)),
            ]);
        }
        votes.add_row(vec![
            Cell::new("tally"),
            Cell::new(""),
            Cell::new(format!("quorum {}", self.power(proposal.quorum_power))),
            Cell::new(format!("{} bps to pass", proposal.approval_threshold_bps)),
            right(format!(
                "yes {} / no {} / abstain {}",
                self.power(proposal.yes),
                self.power(proposal.no),
                self.power(proposal.abstain)
            )),
        ]);

        let mut life = Table::new();
        life.load_preset(UTF8_FULL_CONDENSED)
            .set_header(vec!["state", "hours after voting opened"]);
        for (state, seconds) in &report.timeline {
            life.add_row(vec![
                Cell::new(format!("{state:?}")),
                right(format!("{:.1}", *seconds as f64 / HOUR as f64)),
            ]);
        }
        (votes, life)
    }

    fn governance_summary(&self, report: &GovernanceReport) -> String {
        format!(
            "proposal #{} \"{}\": emission {} → {} tokens per epoch from epoch {}, executed by the DAO authority {}",
            report.proposal.id,
            report.proposal.title,
            self.tokens(report.old_rate),
            self.tokens(report.new_rate),
            report.effective_epoch,
            governance::dao_authority()
        )
    }
}

fn class_table(config: &RegistryConfig) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "class",
        "maker co-signs",
        "onboarding fee (DC)",
        "devices",
        "fees burned (DC)",
    ]);
    for class in &config.classes {
        table.add_row(vec![
            Cell::new(&class.name),
            Cell::new(if class.maker_required { "yes" } else { "no" }),
            right(class.onboarding_fee),
            right(class.active_devices),
            right(class.fees_burned),
        ]);
    }
    table.add_row(vec![
        Cell::new("total"),
        Cell::new(""),
        Cell::new(""),
        right(config.active_devices),
        right(config.fees_burned),
    ]);
    table
}
