//! The training catalogue a new database starts with: competencies (the LAN competency types),
//! programmes and recommendation rules following domain.md's signal → training table. The data
//! is `training_catalogue.json` beside this file, embedded in the binary.
use crate::store::training::catalogue::Defaults;

const JSON: &str = include_str!("training_catalogue.json");

pub fn defaults() -> Result<Defaults, serde_json::Error> {
    serde_json::from_str(JSON)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::defaults;

    #[test]
    fn the_data_parses_and_holds_the_default_catalogue() {
        let d = defaults().expect("training_catalogue.json parses");
        assert_eq!(
            d.competencies
                .iter()
                .map(|c| c.code.as_str())
                .collect::<Vec<_>>(),
            [
                "pelayanan-prima",
                "integritas",
                "manajemen-antrian",
                "penyederhanaan-proses",
                "pengelolaan-pengaduan",
                "pengelolaan-sarana",
                "teknis-sektoral",
                "literasi-digital",
                "informasi-publik",
            ]
        );
        assert_eq!(
            d.programmes
                .iter()
                .map(|p| p.code.as_str())
                .collect::<Vec<_>>(),
            [
                "pelayanan-prima",
                "coaching-berakhlak",
                "manajemen-antrian",
                "penyederhanaan-sop",
                "bimtek-teknis",
                "magang-teknis",
                "antipungli",
                "pengelolaan-pengaduan",
                "literasi-digital",
                "sarana-pelayanan",
                "informasi-publik",
            ]
        );
        assert_eq!(
            d.rules.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(),
            [
                "waktu-layanan",
                "perilaku-petugas",
                "prosedur-persyaratan",
                "kompetensi-pelaksana",
                "biaya-pungli",
                "penanganan-pengaduan",
                "pengaduan-u8",
                "sistem-aplikasi",
                "sarana-prasarana",
                "informasi-layanan",
            ]
        );
        let jp: Vec<i32> = d.programmes.iter().map(|p| p.jp).collect();
        assert_eq!(jp, [16, 8, 16, 24, 24, 40, 8, 8, 12, 8, 8]);
        let conditions: Vec<usize> = d
            .rules
            .iter()
            .map(|r| r.definition.conditions.len())
            .collect();
        assert_eq!(conditions, [5, 2, 4, 2, 2, 1, 1, 1, 1, 1]);
        // Every reference points at an entry of the catalogue.
        let comps: HashSet<&str> = d.competencies.iter().map(|c| c.code.as_str()).collect();
        let progs: HashSet<&str> = d.programmes.iter().map(|p| p.code.as_str()).collect();
        for p in &d.programmes {
            assert!(
                p.competencies.iter().all(|c| comps.contains(c.as_str())),
                "{}",
                p.code
            );
        }
        for r in &d.rules {
            assert!(!r.definition.programmes.is_empty(), "{}", r.code);
            assert!(
                r.definition
                    .programmes
                    .iter()
                    .all(|p| progs.contains(p.as_str())),
                "{}",
                r.code
            );
        }
    }
}
