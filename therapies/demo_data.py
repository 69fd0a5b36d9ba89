"""Demo content for `manage.py loaddemo`: real therapies and landmark trials, each claim cited."""

import datetime

# Every identifier below was checked against stored copies of public sources (PubMed/PMC
# records, journal pages, ClinicalTrials.gov records or mirrors of them) before it was written
# here. Numbers in the bodies are the ones the cited primary publications report. Registry
# fields (status, enrollment, dates) that could not be confirmed are None or "".

# ---------------------------------------------------------------------------------------------
# Sources, defined once so that every version citing the same source cites it identically
# (a citation is unique by kind and value).
# ---------------------------------------------------------------------------------------------


def _url(address: str, label: str) -> dict:
    return {"kind": "url", "value": address, "label": label}


def _paper(kind: str, value: str, label: str) -> dict:
    return {"kind": kind, "value": value, "label": label}


def _trial(nct_id: str) -> dict:
    return {"kind": "nct", "value": nct_id, "label": "ClinicalTrials.gov record"}


_cite = {
    # Checkpoint inhibitors
    "larkin2015": {
        "kind": "pmid",
        "value": "26027431",
        "label": "Larkin J, et al. Combined nivolumab and ipilimumab or monotherapy in "
        "untreated melanoma. N Engl J Med. 2015;373(1):23-34.",
    },
    "larkin2015_doi": {
        "kind": "doi",
        "value": "10.1056/NEJMoa1504030",
        "label": "Larkin J, et al. Combined nivolumab and ipilimumab or monotherapy in "
        "untreated melanoma. N Engl J Med. 2015;373(1):23-34.",
    },
    "robert2015": {
        "kind": "pmid",
        "value": "25891173",
        "label": "Robert C, et al. Pembrolizumab versus ipilimumab in advanced melanoma. "
        "N Engl J Med. 2015;372(26):2521-2532.",
    },
    "reck2016": {
        "kind": "pmid",
        "value": "27718847",
        "label": "Reck M, et al. Pembrolizumab versus chemotherapy for PD-L1-positive "
        "non-small-cell lung cancer. N Engl J Med. 2016;375(19):1823-1833.",
    },
    "reck2019": {
        "kind": "pmid",
        "value": "30620668",
        "label": "Reck M, et al. Updated analysis of KEYNOTE-024: pembrolizumab versus "
        "platinum-based chemotherapy for advanced non-small-cell lung cancer with PD-L1 tumor "
        "proportion score of 50% or greater. J Clin Oncol. 2019;37(7):537-546.",
    },
    "wolchok2022": {
        "kind": "pmid",
        "value": "34818112",
        "label": "Wolchok JD, et al. Long-term outcomes with nivolumab plus ipilimumab or "
        "nivolumab alone versus ipilimumab in patients with advanced melanoma. J Clin Oncol. "
        "2022;40(2):127-137.",
    },
    "gandhi2018": {
        "kind": "pmid",
        "value": "29658856",
        "label": "Gandhi L, et al. Pembrolizumab plus chemotherapy in metastatic "
        "non-small-cell lung cancer. N Engl J Med. 2018;378(22):2078-2092.",
    },
    "brahmer2015": {
        "kind": "pmid",
        "value": "26028407",
        "label": "Brahmer J, et al. Nivolumab versus docetaxel in advanced squamous-cell "
        "non-small-cell lung cancer. N Engl J Med. 2015;373(2):123-135.",
    },
    "borghaei2015": {
        "kind": "pmid",
        "value": "26412456",
        "label": "Borghaei H, et al. Nivolumab versus docetaxel in advanced nonsquamous "
        "non-small-cell lung cancer. N Engl J Med. 2015;373(17):1627-1639.",
    },
    "schuster2021": {
        "kind": "pmid",
        "value": "34516954",
        "label": "Schuster SJ, et al. Long-term clinical outcomes of tisagenlecleucel in "
        "patients with relapsed or refractory aggressive B-cell lymphomas (JULIET): a "
        "multicentre, open-label, single-arm, phase 2 study. Lancet Oncol. 2021.",
    },
    "fda_idecel_summary": {
        "kind": "url",
        "value": "https://aacrjournals.org/clincancerres/article-abstract/28/9/1759/694446/"
        "FDA-Approval-Summary-Idecabtagene-Vicleucel-for",
        "label": "FDA approval summary: idecabtagene vicleucel for relapsed or refractory "
        "multiple myeloma. Clin Cancer Res. 2022;28(9):1759.",
    },
    "hodi2010": {
        "kind": "pmid",
        "value": "20525992",
        "label": "Hodi FS, et al. Improved survival with ipilimumab in patients with "
        "metastatic melanoma. N Engl J Med. 2010;363(8):711-723.",
    },
    # CAR-T
    "neelapu2017": {
        "kind": "pmid",
        "value": "29226797",
        "label": "Neelapu SS, et al. Axicabtagene ciloleucel CAR T-cell therapy in refractory "
        "large B-cell lymphoma. N Engl J Med. 2017;377(26):2531-2544.",
    },
    "neelapu2023": {
        "kind": "pmid",
        "value": "36821768",
        "label": "Neelapu SS, et al. Five-year follow-up of ZUMA-1 supports the curative "
        "potential of axicabtagene ciloleucel in refractory large B-cell lymphoma. Blood. "
        "2023;141(19):2307-2315.",
    },
    "maude2018": {
        "kind": "pmid",
        "value": "29385370",
        "label": "Maude SL, et al. Tisagenlecleucel in children and young adults with B-cell "
        "lymphoblastic leukemia. N Engl J Med. 2018;378(5):439-448.",
    },
    "laetsch2023": {
        "kind": "pmid",
        "value": "36399695",
        "label": "Laetsch TW, et al. Three-year update of tisagenlecleucel in pediatric and "
        "young adult patients with relapsed/refractory acute lymphoblastic leukemia in the "
        "ELIANA trial. J Clin Oncol. 2023;41(9):1664-1669.",
    },
    "blood2018_cart_review": {
        "kind": "url",
        "value": "http://ashpublications.net/blood/article/132/8/777/39453/"
        "Translating-anti-CD19-CAR-T-cell-therapy-into",
        "label": "Review of anti-CD19 CAR T-cell therapy in large B-cell lymphoma, noting US "
        "approvals of axicabtagene ciloleucel (October 2017) and tisagenlecleucel (May 2018). "
        "Blood. 2018;132(8):777.",
    },
    "lymphomahub_zuma7": {
        "kind": "url",
        "value": "https://lymphomahub.com/medical-information/"
        "axicabtagene-ciloleucel-receives-us-fda-approval-as-second-line-treatment-for-large-b-"
        "cell-lymphoma",
        "label": "Lymphoma Hub. Axicabtagene ciloleucel receives US FDA approval as second-line "
        "treatment for large B-cell lymphoma (on the April 1, 2022 approval, based on ZUMA-7).",
    },
    "kymriah_indication": {
        "kind": "url",
        "value": "https://www.hcp.novartis.com/products/kymriah/"
        "acute-lymphoblastic-leukemia-children/efficacy/",
        "label": "Novartis. Kymriah (tisagenlecleucel) US indication in B-cell precursor acute "
        "lymphoblastic leukemia, as labelled.",
    },
    "oncoprescribe_kymriah": {
        "kind": "url",
        "value": "https://oncoprescribe.com/"
        "first-car-t-cell-immunotherapy-approved-by-the-fda-for-acute-lymphoblastic-leukemia-2",
        "label": "OncoPrescribe. First CAR T-cell immunotherapy approved by the FDA for acute "
        "lymphoblastic leukemia (tisagenlecleucel, August 30, 2017).",
    },
    "fda_cart_boxed_warning": {
        "kind": "url",
        "value": "https://www.fda.gov/vaccines-blood-biologics/safety-availability-biologics/"
        "fda-requires-boxed-warning-t-cell-malignancies-following-treatment-bcma-directed-or-"
        "cd19-directed",
        "label": "US FDA. FDA requires boxed warning for T cell malignancies following treatment "
        "with BCMA-directed or CD19-directed autologous CAR T cell immunotherapies (April 18, "
        "2024).",
    },
    "fda_cart_rems": {
        "kind": "url",
        "value": "https://www.fda.gov/news-events/press-announcements/"
        "fda-eliminates-risk-evaluation-and-mitigation-strategies-rems-autologous-chimeric-"
        "antigen-receptor",
        "label": "US FDA. FDA eliminates Risk Evaluation and Mitigation Strategies (REMS) for "
        "autologous chimeric antigen receptor CAR T cell immunotherapies (news release, June "
        "27, 2025).",
    },
    "pmc_crs_review": {
        "kind": "url",
        "value": "https://pmc.ncbi.nlm.nih.gov/articles/PMC6825470",
        "label": "Review of cytokine release syndrome after CD19 CAR T-cell therapy "
        "(PubMed Central PMC6825470).",
    },
    # Adoptive cell transfer
    "rohaan2022": {
        "kind": "pmid",
        "value": "36477031",
        "label": "Rohaan MW, et al. Tumor-infiltrating lymphocyte therapy or ipilimumab in "
        "advanced melanoma. N Engl J Med. 2022;387(23):2113-2125.",
    },
    "sarnaik2021": {
        "kind": "doi",
        "value": "10.1200/JCO.21.00612",
        "label": "Sarnaik AA, et al. Lifileucel, a tumor-infiltrating lymphocyte therapy, in "
        "metastatic melanoma. J Clin Oncol. 2021.",
    },
    "ons_lifileucel": {
        "kind": "url",
        "value": "https://voice.ons.org/news-and-views/"
        "fda-grants-accelerated-approval-to-lifileucel-for-unresectable-or-metastatic",
        "label": "ONS Voice. FDA grants accelerated approval to lifileucel for unresectable or "
        "metastatic melanoma (February 16, 2024).",
    },
    "jnccn_lifileucel": {
        "kind": "url",
        "value": "https://jnccn360.org/advanced-skin-cancers/news/"
        "fda-grants-accelerated-approval-to-cellular-therapy-for-unresectable-or-metastatic-"
        "melanoma/",
        "label": "JNCCN 360. FDA grants accelerated approval to cellular therapy for "
        "unresectable or metastatic melanoma (February 20, 2024): lifileucel's efficacy as "
        "labelled.",
    },
    "focr_confirmatory": {
        "kind": "url",
        "value": "https://friendsofcancerresearch.org/glossary-term/post-market-clinical-trials/",
        "label": "Friends of Cancer Research. Post-market clinical trials (glossary): "
        "confirmatory trials after accelerated approval.",
    },
    "jitc_tilvance301": {
        "kind": "url",
        "value": "https://jitc.bmj.com/content/11/Suppl_1/A875",
        "label": "TILVANCE-301: phase 3 trial of lifileucel plus pembrolizumab versus "
        "pembrolizumab in untreated advanced melanoma (trial-in-progress abstract). "
        "J Immunother Cancer. 2023;11(Suppl 1):A875.",
    },
    "cancernetwork_iovcom202": {
        "kind": "url",
        "value": "https://www.cancernetwork.com/view/"
        "adding-lifileucel-to-pembrolizumab-for-immunotherapy-na-ve-melanoma-improved-responses",
        "label": "CancerNetwork. Adding lifileucel to pembrolizumab for immunotherapy-naive "
        "melanoma improved responses (report of IOV-COM-202 at ASCO 2021).",
    },
    "dangelo2024": {
        "kind": "doi",
        "value": "10.1016/S0140-6736(24)00319-2",
        "label": "D'Angelo SP, et al. Afamitresgene autoleucel for advanced synovial sarcoma "
        "and myxoid round cell liposarcoma (SPEARHEAD-1): an international, open-label, "
        "phase 2 trial. Lancet. 2024;403(10435):1460-1471.",
    },
    "fda_afamicel": {
        "kind": "url",
        "value": "https://www.fda.gov/drugs/resources-information-approved-drugs/"
        "fda-disco-burst-edition-fda-approval-tecelra-afamitresgene-autoleucel-"
        "unresectable-or-metastatic",
        "label": "FDA D.I.S.C.O. Burst Edition: FDA approval of Tecelra (afamitresgene "
        "autoleucel) for unresectable or metastatic synovial sarcoma (August 2, 2024).",
    },
    # Vaccines and cytokines
    "kantoff2010": {
        "kind": "pmid",
        "value": "20818862",
        "label": "Kantoff PW, et al. Sipuleucel-T immunotherapy for castration-resistant "
        "prostate cancer. N Engl J Med. 2010;363(5):411-422.",
    },
    "onclive_sipuleucel": {
        "kind": "url",
        "value": "http://onclive.com/web-exclusives/"
        "Immunotherapy-Personalized-Treatment-for-Advanced-Prostate-Cancer",
        "label": "OncLive. Immunotherapy: personalized treatment for advanced prostate cancer "
        "(on the April 2010 FDA approval of sipuleucel-T).",
    },
    "schwartzentruber2011": {
        "kind": "pmid",
        "value": "21631324",
        "label": "Schwartzentruber DJ, et al. gp100 peptide vaccine and interleukin-2 in "
        "patients with advanced melanoma. N Engl J Med. 2011;364(22):2119-2127.",
    },
    "atkins1999": {
        "kind": "pmid",
        "value": "10561265",
        "label": "Atkins MB, et al. High-dose recombinant interleukin 2 therapy for patients "
        "with metastatic melanoma: analysis of 270 patients treated between 1985 and 1993. "
        "J Clin Oncol. 1999;17(7):2105-2116.",
    },
    "alva2016": {
        "kind": "doi",
        "value": "10.1007/s00262-016-1910-x",
        "label": "Alva A, et al. Contemporary experience with high-dose interleukin-2 therapy "
        "and impact on survival in patients with metastatic melanoma and metastatic renal "
        "cell carcinoma. Cancer Immunol Immunother. 2016.",
    },
    "kirkwood2001": {
        "kind": "doi",
        "value": "10.1200/JCO.2001.19.9.2370",
        "label": "Kirkwood JM, et al. High-dose interferon alfa-2b significantly prolongs "
        "relapse-free and overall survival compared with the GM2-KLH/QS-21 vaccine in "
        "patients with resected stage IIB-III melanoma: results of intergroup trial "
        "E1694/S9512/C509801. J Clin Oncol. 2001;19(9):2370-2380.",
    },
    "proleukin_label": {
        "kind": "url",
        "value": "https://api.fda.gov/drug/label.json?search=id%3A%22"
        "29ba86b1-f672-482e-e063-6394a90a931f%22",
        "label": "Proleukin (aldesleukin) US prescribing information, boxed warning "
        "(openFDA drug label record).",
    },
    # Oncolytic virus
    "andtbacka2015": {
        "kind": "pmid",
        "value": "26014293",
        "label": "Andtbacka RH, et al. Talimogene laherparepvec improves durable response "
        "rate in patients with advanced melanoma. J Clin Oncol. 2015;33:2780-2788.",
    },
    "andtbacka2016": {
        "kind": "pmid",
        "value": "27342831",
        "label": "Andtbacka RH, et al. Patterns of clinical response with talimogene "
        "laherparepvec (T-VEC) in patients with melanoma treated in the OPTiM phase III "
        "clinical trial. Ann Surg Oncol. 2016;23(13):4169-4177.",
    },
    "fda_ovt2017": {
        "kind": "pmid",
        "value": "28130800",
        "label": "Clinical considerations for oncolytic viral therapies: a regulatory "
        "perspective (US FDA). Clin Pharmacol Ther. 2017;101(5):580-582.",
    },
    "orloff2016": {
        "kind": "doi",
        "value": "10.2147/OV.S99532",
        "label": "Orloff M. Spotlight on talimogene laherparepvec for the treatment of "
        "melanoma lesions in the skin and lymph nodes. Oncolytic Virother. 2016;5:91-98.",
    },
    # Bispecific engagers
    "kantarjian2017": {
        "kind": "pmid",
        "value": "28249141",
        "label": "Kantarjian H, et al. Blinatumomab versus chemotherapy for advanced acute "
        "lymphoblastic leukemia. N Engl J Med. 2017;376:836-847.",
    },
    "bloodadv2021_blinatumomab": {
        "kind": "url",
        "value": "http://ashpublications.net/bloodadvances/article-split/5/2/602/475006/"
        "CAR-T-cells-better-than-BiTEs",
        "label": "CAR T cells better than BiTEs (point-counterpoint), noting the 2014 FDA "
        "approval of blinatumomab. Blood Adv. 2021;5(2):602.",
    },
    "blinatumomab_full_approval": {
        "kind": "url",
        "value": "https://maestrodatabase.com/blog/"
        "fda-grants-full-approval-for-blincyto-blinatumomab-to-treat-relapsed-or-refractory-b-"
        "cell-precursor-acute-lymphoblastic-leukaemia-in-adults-and-children",
        "label": "Amgen announcement (July 11, 2017), as reported by MAESTRO: the FDA converted "
        "blinatumomab's accelerated approval to full approval on TOWER data, and extended it "
        "to Philadelphia chromosome-positive disease on the ALCANTARA study.",
    },
    "targetedonc_blinatumomab": {
        "kind": "url",
        "value": "https://www.targetedonc.com/view/"
        "fda-expands-blinatumomab-approval-early-stage-cd19-b-all",
        "label": "Targeted Oncology. FDA expands blinatumomab approval to early-stage CD19+ "
        "B-ALL (2024), listing its earlier indications.",
    },
    "fda_blinatumomab_2024": {
        "kind": "url",
        "value": "https://www.fda.gov/drugs/resources-information-approved-drugs/"
        "fda-approves-blinatumomab-consolidation-cd19-positive-philadelphia-chromosome-"
        "negative-b-cell",
        "label": "US FDA. FDA approves blinatumomab as consolidation for CD19-positive "
        "Philadelphia chromosome-negative B-cell precursor acute lymphoblastic leukemia "
        "(June 14, 2024).",
    },
    "bioworld_tebentafusp": {
        "kind": "url",
        "value": "https://www.bioworld.com/articles/"
        "515478-immunocore-wins-us-fda-approval-for-pioneering-uveal-melanoma-drug",
        "label": "BioWorld. Immunocore wins US FDA approval for pioneering uveal melanoma drug "
        "(January 2022).",
    },
    "biocentury_ipilimumab": {
        "kind": "url",
        "value": "https://www.biocentury.com/article/240316/"
        "why-fda-accepts-serious-risks-to-approve-bms-s-yervoy-for-melanoma",
        "label": "BioCentury. Why FDA accepts serious risks to approve BMS's Yervoy for melanoma "
        "(April 11, 2011).",
    },
    "esmo_tremelimumab": {
        "kind": "url",
        "value": "https://www.esmo.org/oncology-news/"
        "fda-approves-tremelimumab-in-combination-with-durvalumab-for-unresectable-"
        "hepatocellular-carcinoma",
        "label": "ESMO. FDA approves tremelimumab in combination with durvalumab for "
        "unresectable hepatocellular carcinoma (approval of October 21, 2022).",
    },
    "bioquick_nivolumab": {
        "kind": "url",
        "value": "https://bioquicknews.com/"
        "fda-approves-immunotherapy-drug-opdivo-from-bristol-myers-squibb-for-treatment-of-"
        "advanced-melanoma/",
        "label": "BioQuick News. FDA approves Opdivo for advanced melanoma (on the FDA's "
        "December 22, 2014 release, which lists pembrolizumab's 2014 approval).",
    },
    "maestro_nivolumab": {
        "kind": "url",
        "value": "https://maestrodatabase.com/blog/"
        "bristol-myers-squibb-receives-accelerated-approval-of-opdivo-nivolumab-from-the-u-"
        "dot-s-food-and-drug-administration",
        "label": "Bristol-Myers Squibb announcement (December 22, 2014), as reported by MAESTRO: "
        "first US approval of nivolumab.",
    },
    "nathan2021": {
        "kind": "doi",
        "value": "10.1056/NEJMoa2103485",
        "label": "Nathan P, et al. Overall survival benefit with tebentafusp in metastatic "
        "uveal melanoma. N Engl J Med. 2021.",
    },
    "hua2022": {
        "kind": "pmid",
        "value": "36199496",
        "label": "Hua G, Carlson D, Starr JR. Tebentafusp-tebn: a novel bispecific T-cell "
        "engager for metastatic uveal melanoma. J Adv Pract Oncol. 2022;13(7):717-723.",
    },
}


# Pairs of sources that are one paper under two identifiers (its DOI and its PubMed ID):
# readers see one reference (Citation.same_as). Larkin 2015 is PMID 26027431, DOI
# 10.1056/NEJMoa1504030 (PubMed record of the article).
SAME_PAPER = [(_cite["larkin2015_doi"], _cite["larkin2015"])]

_nct = {
    nct_id: _trial(nct_id)
    for nct_id in (
        "NCT00019682",
        "NCT00065442",
        "NCT00094653",
        "NCT00769704",
        "NCT01844505",
        "NCT01866319",
        "NCT02013167",
        "NCT02142738",
        "NCT02278887",
        "NCT02348216",
        "NCT02360579",
        "NCT02435849",
        "NCT03070392",
        "NCT03645928",
        "NCT04044768",
        "NCT05727904",
    )
}


CANCER_TYPES = [  # (slug, name)
    ("hepatocellular-carcinoma", "Hepatocellular carcinoma"),
    ("melanoma", "Melanoma"),
    ("uveal-melanoma", "Uveal melanoma"),
    ("non-small-cell-lung-cancer", "Non-small-cell lung cancer"),
    ("large-b-cell-lymphoma", "Large B-cell lymphoma"),
    ("b-cell-acute-lymphoblastic-leukemia", "B-cell acute lymphoblastic leukemia"),
    ("prostate-cancer", "Prostate cancer"),
    ("renal-cell-carcinoma", "Renal cell carcinoma"),
    ("synovial-sarcoma", "Synovial sarcoma"),
]

# ---------------------------------------------------------------------------------------------
# Therapy articles. Versions are oldest first; the last one is the published version.
# ---------------------------------------------------------------------------------------------

_anti_pd1_v1_body = """## How it works

PD-1 is a "brake" (immune checkpoint) on activated T cells. Tumours can use this pathway to
switch off T cells that would otherwise attack them. Antibodies that block PD-1, such as
pembrolizumab and nivolumab, release the brake so that the patient's own T cells can act
against the cancer. Antibodies against PD-1's partner molecule, PD-L1, work on the same
pathway from the other side.

## Key evidence in advanced melanoma

- **KEYNOTE-006** (834 patients who had not had ipilimumab): pembrolizumab every 2 or 3 weeks
  was compared with ipilimumab. Estimated 6-month progression-free survival was 47.3% and
  46.4% with pembrolizumab versus 26.5% with ipilimumab, and 12-month overall survival was
  74.1% and 68.4% versus 58.2%.
- **CheckMate 067** (945 previously untreated patients): median progression-free survival was
  6.9 months with nivolumab alone versus 2.9 months with ipilimumab (hazard ratio 0.57).

## Side effects

Because these drugs unleash the immune system, side effects are immune-related and can affect
many organs. In the trials above, severe (grade 3 or higher) treatment-related side effects
were less frequent with PD-1 blockade than with ipilimumab: 13.3% and 10.1% versus 19.9% in
KEYNOTE-006, and 16.3% versus 27.3% (grade 3 or 4) in CheckMate 067.
"""

_anti_pd1_v2_body = """## How it works

PD-1 is a "brake" (immune checkpoint) on activated T cells. Tumours can use this pathway to
switch off T cells that would otherwise attack them. Antibodies that block PD-1, such as
pembrolizumab and nivolumab, release the brake so that the patient's own T cells can act
against the cancer. Antibodies against PD-1's partner molecule, PD-L1, work on the same
pathway from the other side.

## Key evidence in advanced melanoma

- **KEYNOTE-006** (834 patients who had not had ipilimumab): estimated 6-month
  progression-free survival was 47.3% and 46.4% with pembrolizumab every 2 or 3 weeks versus
  26.5% with ipilimumab; 12-month overall survival was 74.1% and 68.4% versus 58.2%
  [@pmid:25891173].
- **CheckMate 067** (945 previously untreated patients): median progression-free survival was
  6.9 months with nivolumab alone versus 2.9 months with ipilimumab (hazard ratio 0.57)
  [@pmid:26027431].

## Beyond melanoma: lung cancer

In **KEYNOTE-024**, 305 people with previously untreated advanced non-small-cell lung cancer
whose tumours had PD-L1 on at least 50% of cancer cells (and no EGFR or ALK alteration)
received pembrolizumab or platinum-based chemotherapy. Median progression-free survival was
10.3 versus 6.0 months (hazard ratio 0.50), and the response rate was 44.8% versus 27.8%
[@pmid:27718847].
In an updated analysis, median overall survival was 30.0 versus 14.2 months, even though many
patients in the chemotherapy group later crossed over to pembrolizumab [@pmid:30620668].

## Side effects

Side effects are immune-related and can affect many organs. Severe treatment-related events
were less frequent with PD-1 blockade than with the comparator in these trials: 13.3% and
10.1% versus 19.9% (ipilimumab, KEYNOTE-006) and 26.6% versus 53.3% (chemotherapy,
KEYNOTE-024) [@pmid:25891173; @pmid:27718847].

## Who it is for

The lung-cancer result applies to the population studied: tumours with high PD-L1 expression
and no EGFR or ALK alteration.
"""

_anti_ctla4_body = """## How it works

CTLA-4 is an immune checkpoint that dampens T-cell activation. Ipilimumab is an antibody that
blocks CTLA-4, with the aim of strengthening the T-cell response against the tumour.

## The landmark trial

In the phase 3 MDX010-20 trial, 676 patients with previously treated, unresectable stage III
or IV melanoma (all HLA-A*0201-positive, because two of the three arms contained a peptide
vaccine) were assigned 3:1:1 to ipilimumab plus a gp100 vaccine, ipilimumab alone, or gp100
alone. Median overall survival was 10.0 months with ipilimumab plus gp100 and 10.1 months
with ipilimumab alone, versus 6.4 months with gp100 alone. Adding the vaccine did not improve
survival over ipilimumab alone [@pmid:20525992].

## Side effects

Grade 3 or 4 immune-related side effects occurred in 10 to 15% of patients given
ipilimumab in MDX010-20. There were 14 deaths related to the study drugs (2.1%), 7 of them
associated with immune-related side effects [@pmid:20525992].

## Where it stands now

In later head-to-head trials, PD-1 blockade outperformed ipilimumab alone: pembrolizumab in
KEYNOTE-006 and nivolumab in CheckMate 067 [@pmid:25891173; @pmid:26027431]. In CheckMate 067,
nivolumab plus ipilimumab gave
the longest median progression-free survival (11.5 months versus 2.9 months with ipilimumab
alone), at the cost of more severe side effects (see the combination entry) [@pmid:26027431].
"""

_cart_v1_body = """## How it works

CAR-T therapy is made from the patient's own T cells. They are collected from the blood,
genetically engineered in a laboratory to carry a chimeric antigen receptor (CAR) that
recognises a target on cancer cells, multiplied, and given back as a single infusion after
a short course of chemotherapy (cyclophosphamide and fludarabine) that makes room for them.
The first approved products target CD19, a protein found on B cells and most B-cell cancers.

## Evidence in large B-cell lymphoma

In the ZUMA-1 phase 2 trial, 111 patients with refractory large B-cell lymphoma were enrolled;
axicabtagene ciloleucel was manufactured for 110 and given to 101. The objective response
rate was 82% and the complete response rate 54%. Axicabtagene ciloleucel was approved in the
United States in October 2017. Across the CD19 CAR-T trials in large B-cell lymphoma, durable
remissions have been seen in 30% to 40% of treated patients.

## Side effects

Cytokine release syndrome (fever, low blood pressure, low oxygen) and neurologic events
(confusion, speech difficulty, seizures) are the main acute risks. In ZUMA-1, grade 3 or
higher cytokine release syndrome occurred in 13% and grade 3 or higher neurologic events in
28% of patients.
"""

_cart_v2_body = """## How it works

CAR-T therapy is made from the patient's own T cells. They are collected from the blood,
genetically engineered to carry a chimeric antigen receptor (CAR) that recognises a target on
cancer cells, multiplied, and given back as a single infusion after lymphodepleting
chemotherapy. The first approved products target CD19, found on most B-cell cancers.
Products differ in design, for example in the co-stimulatory signal built into the receptor
(CD28 in axicabtagene ciloleucel, 4-1BB in tisagenlecleucel).

## Evidence

| Trial | Population | Main result |
| --- | --- | --- |
| ZUMA-1 | Refractory large B-cell lymphoma (101 treated) | \
Response 82%, complete 54% [@pmid:29226797] |
| ELIANA | Children and young adults with relapsed/refractory B-ALL (75 infused) | \
Remission 81% [@pmid:29385370] |

In the large B-cell lymphoma trials, durable remissions have been seen in 30% to 40% of
treated patients
[@url:http://ashpublications.net/blood/article/132/8/777/39453/Translating-anti-CD19-CAR-T-cell-therapy-into].
In ELIANA, all patients who responded had no detectable minimal residual
disease, and overall survival at 12 months was 76% [@pmid:29385370]. In a 3-year update of ELIANA
(79 infused
patients), median event-free survival was 24 months [@pmid:36399695].

Axicabtagene ciloleucel (October 2017) and tisagenlecleucel (May 2018) were approved in the
United States for large B-cell lymphoma after two prior lines of therapy; tisagenlecleucel is
also approved for relapsed or refractory B-ALL in patients up to 25 years old
[@url:http://ashpublications.net/blood/article/132/8/777/39453/Translating-anti-CD19-CAR-T-cell-therapy-into].

## Side effects

Cytokine release syndrome and neurologic events are the main acute risks. In ZUMA-1, grade 3
or higher cytokine release syndrome occurred in 13% and grade 3 or higher neurologic events in
28% [@pmid:29226797]; in ELIANA, cytokine release syndrome occurred in 77% and neurologic events in
40% [@pmid:29385370].
Treatment is given in specialised centres that can manage these effects.
"""

_til_v1_body = """## How it works

Tumour-infiltrating lymphocytes (TILs) are T cells that have already found their way into a
patient's tumour. In TIL therapy, a tumour deposit is surgically removed, the T cells are
grown to very large numbers in a laboratory, and they are given back as a single infusion.
Before the infusion, patients receive short, intensive (nonmyeloablative) chemotherapy to
deplete existing lymphocytes; afterwards they receive high-dose interleukin-2 (IL-2) to
support the infused cells.

## Lifileucel after checkpoint inhibitors

Lifileucel is a TIL product made centrally in a 22-day process. In a phase 2 study of 66
patients with advanced melanoma who had progressed after PD-1 or PD-L1 blockade (and BRAF
with or without MEK inhibitors when appropriate), patients received lymphodepletion, one
lifileucel infusion and up to six doses of high-dose IL-2. The objective response rate was
36% (2 complete and 22 partial responses), the disease control rate was 80%, and the median
duration of response had not been reached after a median follow-up of 18.7 months.

## Side effects

The safety profile was consistent with the known effects of the lymphodepleting chemotherapy
and IL-2, such as low blood counts, fever and chills.
"""

_til_v2_body = """## How it works

Tumour-infiltrating lymphocytes (TILs) are T cells that have already found their way into a
patient's tumour. A tumour deposit is surgically removed, the T cells are grown to very large
numbers in a laboratory, and they are given back as a single infusion after short,
intensive chemotherapy (cyclophosphamide and fludarabine), followed by high-dose
interleukin-2 (IL-2) to support the infused cells.

## Randomised evidence

In a phase 3 trial from the Netherlands and Denmark, 168 patients with unresectable stage
IIIC or IV melanoma (86% whose disease was refractory to anti-PD-1 treatment) received either
TIL or ipilimumab. Median progression-free survival was 7.2 months with TIL versus 3.1 months
with ipilimumab (hazard ratio 0.50), and the objective response rate was 49% versus 21%
[@pmid:36477031].

## Lifileucel

Lifileucel, a centrally manufactured TIL product, gave an objective response rate of 36% in
66 patients who had progressed after PD-1 or PD-L1 blockade in a phase 2 study
[@doi:10.1200/JCO.21.00612]. On
February 16, 2024, the US FDA granted it accelerated approval for adults with unresectable or
metastatic melanoma previously treated with a PD-1 antibody (and, for BRAF V600-positive
disease, a BRAF inhibitor with or without a MEK inhibitor)
[@url:https://voice.ons.org/news-and-views/fda-grants-accelerated-approval-to-lifileucel-for-unresectable-or-metastatic].

## Side effects

Most severe side effects come from the preparative chemotherapy and IL-2 (low blood counts,
infection, fever). In the phase 3 trial, grade 3 or higher treatment-related side effects
occurred in all patients who received TIL and in 57% of those who received ipilimumab
[@pmid:36477031]. The
US label for lifileucel carries a boxed warning for treatment-related mortality, prolonged
severe cytopenia, severe infection, and cardiopulmonary and renal impairment.
"""

_vaccines_body = """## How it works

Therapeutic cancer vaccines aim to teach the immune system to recognise a tumour antigen.
Unlike preventive vaccines, they are given to people who already have cancer.

## Sipuleucel-T in prostate cancer

Sipuleucel-T is made for each patient: immune cells, including antigen-presenting cells, are
collected from the blood, activated in the laboratory with a fusion protein of the prostate
antigen PAP and GM-CSF, and infused back three times, about two weeks apart.

In the IMPACT phase 3 trial, 512 men with metastatic castration-resistant prostate cancer were
randomly assigned 2:1 to sipuleucel-T or placebo. The risk of death was 22% lower with
sipuleucel-T (hazard ratio 0.78; 95% CI 0.61-0.98): median overall survival was 25.8 versus
21.7 months, and 36-month survival was 31.7% versus 23.0% [@pmid:20818862]. Time to objective
disease
progression was similar in the two groups, so the benefit was seen in survival rather than
in tumour shrinkage [@pmid:20818862]. The US FDA approved sipuleucel-T in April 2010
[@url:http://onclive.com/web-exclusives/Immunotherapy-Personalized-Treatment-for-Advanced-Prostate-Cancer].

## Peptide vaccines in melanoma

In the MDX010-20 trial, a gp100 peptide vaccine given alone served as the control arm (median
overall survival 6.4 months), and adding it to ipilimumab did not improve survival over
ipilimumab alone [@pmid:20525992]. The gp100:209-217(210M) peptide given before high-dose
interleukin-2
improved response rates in a separate phase 3 trial (see the combination entry) [@pmid:21631324].
"""

_cytokine_body = """## How it works

Cytokines are the immune system's messenger proteins. Interleukin-2 (IL-2) drives T cells and
natural killer cells to multiply and become active; interferon alfa has broad immune-modulating
effects. Given as drugs at high doses, they can trigger immune attack on tumours.

## High-dose IL-2 (aldesleukin)

High-dose IL-2 was approved in the United States for metastatic renal cell carcinoma in 1992
and for metastatic melanoma in 1998. In a pooled analysis of 270 patients with metastatic
melanoma treated between 1985 and 1993 (600,000 or 720,000 IU/kg every 8 hours for up to
14 doses per cycle), the objective response rate was 16%: 6% complete and 10% partial
responses. Twelve of the 43 responders, including 10 of the 17 complete responders, remained
progression-free at the time of analysis, and no patient who had responded for more than
30 months later progressed. Six patients (2%) died from adverse events, all related to
sepsis [@pmid:10561265].

A registry of 170 patients with melanoma treated between 2005 and 2012 reported complete
responses in 5% and partial responses in 10%, with no treatment-related deaths among the
362 patients (melanoma and kidney cancer) in the analysis [@doi:10.1007/s00262-016-1910-x].

IL-2 carries a boxed warning for capillary leak syndrome, neurologic toxicity and serious
infections, and is given in hospital with intensive-care support.

## Interferon alfa

In the intergroup trial E1694, high-dose interferon alfa-2b given after surgery for stage
IIB-III melanoma prolonged relapse-free and overall survival compared with a GM2-KLH/QS-21
vaccine.
"""

_oncolytic_body = """## How it works

Oncolytic viruses infect and destroy cancer cells and, as the cells break open, can alert the
immune system to the tumour. Talimogene laherparepvec (T-VEC) is a modified herpes simplex
virus that also carries the gene for GM-CSF, an immune-stimulating protein. It is injected
directly into skin, under-the-skin or lymph-node melanoma deposits.

## The OPTiM trial

In the phase 3 OPTiM trial, 436 patients with unresectable, injectable stage IIIB-IV melanoma
were randomly assigned 2:1 to T-VEC injections or to GM-CSF given under the skin. The primary
endpoint was the durable response rate (a response starting within 12 months and lasting at
least 6 months): 16.3% with T-VEC versus 2.1% with GM-CSF. The overall response rate was
26.4% versus 5.7%. Median overall survival was 23.3 versus 18.9 months, a difference that did
not reach statistical significance (hazard ratio 0.79; P=0.051) [@pmid:26014293].

## Approval and place in treatment

The US FDA approved T-VEC on October 27, 2015, for the treatment of melanoma lesions in the
skin and lymph nodes. The comparator in OPTiM (GM-CSF) is not an active standard
treatment, which limits comparisons with modern therapies.
"""

_oncolytic_pending_body = """## How it works

Oncolytic viruses infect and destroy cancer cells and, as the cells break open, can alert the
immune system to the tumour. Talimogene laherparepvec (T-VEC) is a modified herpes simplex
virus that also carries the gene for GM-CSF. It is injected directly into skin,
under-the-skin or lymph-node melanoma deposits.

## The OPTiM trial

In the phase 3 OPTiM trial, 436 patients with unresectable, injectable stage IIIB-IV melanoma
were randomly assigned 2:1 to T-VEC or to GM-CSF given under the skin. The durable response
rate was 16.3% with T-VEC versus 2.1% with GM-CSF, and the overall response rate 26.4% versus
5.7%. Median overall survival was 23.3 versus 18.9 months (not statistically significant)
[@pmid:26014293].

## Effects beyond the injected lesions

Responses were not limited to injected lesions: 64% of injected lesions shrank by at least
half, as did 34% of uninjected non-visceral lesions and 15% of visceral lesions, which were
never injected.

## Approval

The US FDA approved T-VEC on October 27, 2015, for the treatment of melanoma lesions in the
skin and lymph nodes. It has not been shown to improve overall survival or to have an effect
on visceral metastases [@pmid:28130800].
"""

_bispecific_body = """## How it works

Bispecific T-cell engagers are engineered proteins with two arms: one binds a target on the
cancer cell, the other binds CD3 on T cells. By bridging the two, they bring T cells into
direct contact with cancer cells, which the T cells then kill. Unlike CAR-T, no cells are
collected or engineered; the drug is given as an infusion.

## Blinatumomab (CD19 x CD3)

In the TOWER phase 3 trial, 405 adults with heavily pretreated Philadelphia chromosome-negative
B-cell precursor acute lymphoblastic leukaemia were randomly assigned 2:1 to blinatumomab
(continuous intravenous infusion, 4 weeks on and 2 weeks off) or standard chemotherapy.
Median overall survival was 7.7 versus 4.0 months (hazard ratio 0.71), and complete remission
with full blood-count recovery within 12 weeks was 34% versus 16% [@pmid:28249141]. Blinatumomab was
approved
by the US FDA in 2014 on the basis of single-arm trials
[@url:http://ashpublications.net/bloodadvances/article-split/5/2/602/475006/CAR-T-cells-better-than-BiTEs].

## Tebentafusp (gp100 x CD3)

Tebentafusp pairs a T-cell receptor that recognises a gp100 peptide presented on HLA-A*02:01
with an anti-CD3 arm, so it can only be used in HLA-A*02:01-positive patients. In a
randomised trial of 378 previously untreated patients with metastatic uveal melanoma,
1-year overall survival was 73% with tebentafusp versus 59% with investigator's choice
(pembrolizumab, ipilimumab or dacarbazine; hazard ratio 0.51) [@doi:10.1056/NEJMoa2103485]. It is
approved by the US FDA
for HLA-A*02:01-positive metastatic uveal melanoma [@pmid:36199496].

## Side effects

Cytokine release syndrome is a class risk. With tebentafusp, the most common
treatment-related events were cytokine-mediated and skin-related (gp100 is also present on
normal pigment cells).
"""

THERAPIES = [
    {
        "slug": "anti-pd-1-pd-l1-antibodies",
        "therapy_class": "checkpoint_inhibitor",
        # Each agent named in the article is approved by the FDA for at least one indication.
        "evidence_level": "standard_of_care",
        "cancer_types": ["melanoma", "non-small-cell-lung-cancer"],
        "versions": [
            {
                "title": "Anti-PD-1 and anti-PD-L1 antibodies",
                "summary": "Antibodies that block the PD-1 immune checkpoint release a brake on "
                "T cells; in advanced melanoma, PD-1 blockade outperformed ipilimumab in two "
                "phase 3 trials.",
                "body": _anti_pd1_v1_body,
                "key_agents": ["pembrolizumab", "nivolumab"],
                "change_summary": "First version.",
                "citations": [_cite["robert2015"], _cite["larkin2015"]],
            },
            {
                "title": "Anti-PD-1 and anti-PD-L1 antibodies",
                "summary": "Antibodies that block the PD-1 immune checkpoint release a brake on "
                "T cells. They improved outcomes over ipilimumab in advanced melanoma and over "
                "chemotherapy in PD-L1-high non-small-cell lung cancer.",
                "body": _anti_pd1_v2_body,
                "key_agents": ["pembrolizumab", "nivolumab"],
                "change_summary": "Added first-line non-small-cell lung cancer data from "
                "KEYNOTE-024 (PMID 27718847) and its updated survival analysis "
                "(PMID 30620668).",
                "citations": [
                    _cite["robert2015"],
                    _cite["larkin2015"],
                    _cite["reck2016"],
                    _cite["reck2019"],
                ],
            },
        ],
    },
    {
        "slug": "anti-ctla-4-antibodies",
        "therapy_class": "checkpoint_inhibitor",
        # Each agent named in the article is approved by the FDA for at least one indication.
        "evidence_level": "standard_of_care",
        "cancer_types": ["melanoma"],
        "versions": [
            {
                "title": "Anti-CTLA-4 antibodies",
                "summary": "Ipilimumab blocks the CTLA-4 checkpoint. It prolonged overall "
                "survival in previously treated metastatic melanoma; PD-1 blockade later "
                "outperformed it as a single agent.",
                "body": _anti_ctla4_body,
                "key_agents": ["ipilimumab"],
                "change_summary": "First version.",
                "citations": [
                    _cite["hodi2010"],
                    _cite["robert2015"],
                    _cite["larkin2015"],
                ],
            },
        ],
    },
    {
        "slug": "car-t-cell-therapy",
        "therapy_class": "car_t",
        # Each agent named in the article is approved by the FDA for at least one indication.
        "evidence_level": "standard_of_care",
        "cancer_types": ["large-b-cell-lymphoma", "b-cell-acute-lymphoblastic-leukemia"],
        "versions": [
            {
                "title": "CAR-T cell therapy",
                "summary": "The patient's own T cells are engineered to recognise CD19 and "
                "infused back; in refractory large B-cell lymphoma, axicabtagene ciloleucel "
                "produced durable responses in a phase 2 trial.",
                "body": _cart_v1_body,
                "key_agents": ["axicabtagene ciloleucel"],
                "change_summary": "First version.",
                "citations": [_cite["neelapu2017"], _cite["blood2018_cart_review"]],
            },
            {
                "title": "CAR-T cell therapy",
                "summary": "The patient's own T cells are engineered to recognise CD19 and "
                "infused back. CD19 CAR-T products produce durable remissions in refractory "
                "large B-cell lymphoma and in relapsed or refractory B-cell ALL.",
                "body": _cart_v2_body,
                "key_agents": ["axicabtagene ciloleucel", "tisagenlecleucel"],
                "change_summary": "Added the ELIANA trial of tisagenlecleucel in paediatric and "
                "young-adult B-ALL (PMID 29385370) and its 3-year update (PMID 36399695); "
                "added a summary table.",
                "citations": [
                    _cite["neelapu2017"],
                    _cite["maude2018"],
                    _cite["laetsch2023"],
                    _cite["blood2018_cart_review"],
                    _cite["pmc_crs_review"],
                ],
            },
        ],
    },
    {
        "slug": "tumour-infiltrating-lymphocyte-therapy",
        "therapy_class": "adoptive_cell_transfer",
        # Each agent named in the article is approved by the FDA for at least one indication.
        "evidence_level": "standard_of_care",
        "cancer_types": ["melanoma"],
        "versions": [
            {
                "title": "Tumour-infiltrating lymphocyte (TIL) therapy",
                "summary": "T cells taken from the patient's own tumour are expanded in the "
                "laboratory and re-infused; lifileucel produced responses in melanoma that "
                "had progressed after checkpoint inhibitors.",
                "body": _til_v1_body,
                "key_agents": ["lifileucel", "aldesleukin"],
                "change_summary": "First version.",
                "citations": [_cite["sarnaik2021"], _nct["NCT02360579"]],
            },
            {
                "title": "Tumour-infiltrating lymphocyte (TIL) therapy",
                "summary": "T cells taken from the patient's own tumour are expanded and "
                "re-infused. TIL beat ipilimumab in a phase 3 melanoma trial, and lifileucel "
                "received US accelerated approval in 2024.",
                "body": _til_v2_body,
                "key_agents": ["lifileucel", "aldesleukin"],
                "change_summary": "Added the phase 3 TIL-versus-ipilimumab trial "
                "(PMID 36477031) and the February 2024 FDA accelerated approval of lifileucel.",
                "citations": [
                    _cite["rohaan2022"],
                    _cite["sarnaik2021"],
                    _cite["ons_lifileucel"],
                    _nct["NCT02278887"],
                ],
            },
        ],
    },
    {
        "slug": "cancer-vaccines",
        "therapy_class": "cancer_vaccine",
        # Each agent named in the article is approved by the FDA for at least one indication.
        "evidence_level": "standard_of_care",
        "cancer_types": ["prostate-cancer", "melanoma"],
        "versions": [
            {
                "title": "Therapeutic cancer vaccines",
                "summary": "Vaccines given to people who already have cancer aim to train the "
                "immune system against a tumour antigen; sipuleucel-T prolonged survival in "
                "metastatic castration-resistant prostate cancer.",
                "body": _vaccines_body,
                "key_agents": ["sipuleucel-t", "gp100 peptide vaccine"],
                "change_summary": "First version.",
                "citations": [
                    _cite["kantoff2010"],
                    _cite["onclive_sipuleucel"],
                    _cite["hodi2010"],
                    _cite["schwartzentruber2011"],
                ],
            },
        ],
    },
    {
        "slug": "cytokine-therapy",
        "therapy_class": "cytokine",
        # Each agent named in the article is approved by the FDA for at least one indication.
        "evidence_level": "standard_of_care",
        "cancer_types": ["melanoma", "renal-cell-carcinoma"],
        "versions": [
            {
                "title": "Cytokine therapy: high-dose interleukin-2 and interferon alfa",
                "summary": "High-dose interleukin-2 produces durable complete responses in a "
                "small minority of patients with metastatic melanoma, at the cost of severe, "
                "usually reversible toxicity; adjuvant interferon alfa-2b was also studied.",
                "body": _cytokine_body,
                "key_agents": ["aldesleukin", "interferon alfa-2b"],
                "change_summary": "First version.",
                "citations": [
                    _cite["atkins1999"],
                    _cite["alva2016"],
                    _cite["proleukin_label"],
                    _cite["kirkwood2001"],
                ],
            },
        ],
    },
    {
        "slug": "oncolytic-virus-therapy",
        "therapy_class": "oncolytic_virus",
        # Each agent named in the article is approved by the FDA for at least one indication.
        "evidence_level": "standard_of_care",
        "cancer_types": ["melanoma"],
        "versions": [
            {
                "title": "Oncolytic virus therapy: talimogene laherparepvec (T-VEC)",
                "summary": "A modified herpes virus injected into melanoma deposits kills "
                "cancer cells and stimulates immunity; it improved the durable response rate "
                "over GM-CSF in the phase 3 OPTiM trial.",
                "body": _oncolytic_body,
                "key_agents": ["talimogene laherparepvec"],
                "change_summary": "First version.",
                "citations": [_cite["andtbacka2015"], _cite["orloff2016"]],
            },
        ],
    },
    {
        "slug": "bispecific-t-cell-engagers",
        "therapy_class": "bispecific_engager",
        # Each agent named in the article is approved by the FDA for at least one indication.
        "evidence_level": "standard_of_care",
        "cancer_types": ["b-cell-acute-lymphoblastic-leukemia", "uveal-melanoma"],
        "versions": [
            {
                "title": "Bispecific T-cell engagers",
                "summary": "Two-armed proteins that link T cells to cancer cells. Blinatumomab "
                "prolonged survival in relapsed or refractory B-cell ALL, and tebentafusp in "
                "HLA-A*02:01-positive metastatic uveal melanoma.",
                "body": _bispecific_body,
                "key_agents": ["blinatumomab", "tebentafusp"],
                "change_summary": "First version.",
                "citations": [
                    _cite["kantarjian2017"],
                    _cite["bloodadv2021_blinatumomab"],
                    _cite["nathan2021"],
                    _cite["hua2022"],
                ],
            },
        ],
    },
]

# ---------------------------------------------------------------------------------------------
# Combinations
# ---------------------------------------------------------------------------------------------

_pd1_ctla4_body = """## Rationale

PD-1 and CTLA-4 are separate brakes on T cells, so blocking both may release a stronger
immune response than blocking either alone. Phase 1 and 2 data suggested complementary
activity in melanoma, which CheckMate 067 tested in a phase 3 trial.

## Evidence

In CheckMate 067, 945 previously untreated patients with unresectable stage III or IV
melanoma received nivolumab plus ipilimumab (nivolumab 1 mg/kg with ipilimumab 3 mg/kg every
3 weeks for four doses, then nivolumab 3 mg/kg every 2 weeks), nivolumab alone, or ipilimumab
alone [@pmid:26027431].

| Arm | Median progression-free survival | Grade 3-4 treatment-related events |
| --- | --- | --- |
| Nivolumab + ipilimumab | 11.5 months | 55.0% [@pmid:26027431] |
| Nivolumab | 6.9 months | 16.3% [@pmid:26027431] |
| Ipilimumab | 2.9 months | 27.3% [@pmid:26027431] |

The hazard ratio for progression or death with the combination versus ipilimumab was 0.42.
In tumours positive for PD-L1, median progression-free survival was 14.0 months with both the
combination and nivolumab alone; in PD-L1-negative tumours it was longer with the combination
(11.2 versus 5.3 months) [@pmid:26027431].

## Caveats

The gain in progression-free survival comes with a much higher rate of severe side effects,
so the choice between the combination and PD-1 blockade alone is individual.
"""

_pd1_ctla4_draft_body = """## Rationale

PD-1 and CTLA-4 are separate brakes on T cells, so blocking both may release a stronger
immune response than blocking either alone.

## Evidence

In CheckMate 067 (945 previously untreated patients with unresectable stage III or IV
melanoma), median progression-free survival was 11.5 months with nivolumab plus ipilimumab,
6.9 months with nivolumab and 2.9 months with ipilimumab.

## Who benefits most? (draft)

In the first report, the benefit of adding ipilimumab to nivolumab depended on PD-L1:

| Tumour PD-L1 status | Combination | Nivolumab alone |
| --- | --- | --- |
| Positive | 14.0 months | 14.0 months |
| Negative | 11.2 months | 5.3 months |

These are subgroup results from one trial and should be read as hypothesis-generating.

## Side effects

Grade 3 or 4 treatment-related events occurred in 55.0% of patients with the combination,
versus 16.3% with nivolumab and 27.3% with ipilimumab.

## Overall survival (6.5-year report)

With a minimum follow-up of 6.5 years, median overall survival was 72.1 months with
nivolumab plus ipilimumab, 36.9 months with nivolumab and 19.9 months with ipilimumab
[@pmid:34818112].
"""

_til_pd1_body = """## Rationale

TIL therapy supplies large numbers of tumour-reactive T cells; PD-1 blockade removes a brake
that tumours use to switch such T cells off. Combining them, rather than giving them one after
the other, is being tested to see whether the infused cells work better and longer.

## What the evidence shows so far

- **Sequential use is supported by phase 3 data.** In the phase 3 TIL-versus-ipilimumab trial,
  86% of the 168 patients had melanoma refractory to prior anti-PD-1 treatment. TIL given
  after PD-1 blockade improved median progression-free survival over ipilimumab (7.2 versus
  3.1 months) [@pmid:36477031].
- **Concurrent use is supported only by early data.** The multi-cohort phase 2 study
  IOV-COM-202 (NCT03645928) reported results for lifileucel plus pembrolizumab in a small
  cohort of patients with checkpoint-inhibitor-naive melanoma at ASCO 2021.
- **A phase 3 trial is under way.** TILVANCE-301 (NCT05727904) plans to randomly assign about
  670 patients with untreated advanced melanoma to lifileucel plus pembrolizumab or
  pembrolizumab alone, with response rate and progression-free survival as dual primary
  endpoints. Patients on pembrolizumab alone may cross over to lifileucel after confirmed
  progression
  [@url:https://jitc.bmj.com/content/11/Suppl_1/A875].

## Bottom line

The combination is investigational. Until TILVANCE-301 reports, the evidence for giving TIL
and PD-1 blockade together rests on small phase 2 cohorts.
"""

_gp100_il2_body = """## Rationale

High-dose interleukin-2 (IL-2) expands and activates T cells; a peptide vaccine directs the
immune response to a specific melanoma antigen. A phase 2 study had suggested higher response
rates with the gp100:209-217(210M) peptide given before IL-2 than expected with IL-2 alone.

## Evidence

In a randomised phase 3 trial at 21 centres, 185 patients with stage IV or locally advanced
stage III cutaneous melanoma who were HLA*A0201-positive and fit for high-dose IL-2 received
IL-2 alone (720,000 IU/kg per dose) or the gp100 peptide in Montanide ISA-51 once per cycle
followed by IL-2. Compared with IL-2 alone, the vaccine-IL-2 group had a higher response
rate (16% versus 6%) and longer progression-free survival (2.2 versus 1.6 months). Median
overall survival was 17.8 versus 11.1 months; overall survival was not the trial's primary
endpoint (clinical response was) [@pmid:21631324].

## Caveats

This is a single phase 3 trial, limited to HLA*A0201-positive patients fit for high-dose
IL-2, with modest absolute gains.
"""

_ctla4_gp100_body = """## Rationale

The gp100 peptide vaccine was expected to direct T cells to a melanoma antigen, while
ipilimumab blocks the CTLA-4 brake on T-cell activation; together they might have been more
effective than either alone.

## Evidence

MDX010-20 randomly assigned 676 HLA-A*0201-positive patients with previously treated,
unresectable stage III or IV melanoma 3:1:1 to ipilimumab plus gp100 (403 patients),
ipilimumab alone (137) or gp100 alone (136). Median overall survival was 10.0 months with
ipilimumab plus gp100, 10.1 months with ipilimumab alone and 6.4 months with gp100 alone.
Overall survival did not differ between the two ipilimumab groups (hazard ratio with
ipilimumab plus gp100, 1.04; P=0.76) [@pmid:20525992].

## Bottom line

The survival benefit came from ipilimumab; adding the gp100 vaccine did not improve it. This
trial is a useful reminder that combining two immunotherapies does not automatically add
benefit.
"""

COMBINATIONS = [
    {
        "slug": "anti-pd-1-plus-anti-ctla-4",
        "therapies": ["anti-pd-1-pd-l1-antibodies", "anti-ctla-4-antibodies"],
        "evidence_level": "standard_of_care",
        "key_trials": ["NCT01844505"],
        "title": "Nivolumab plus ipilimumab (PD-1 plus CTLA-4 blockade)",
        "summary": "Blocking two separate T-cell brakes gave the longest progression-free "
        "survival in CheckMate 067 in untreated advanced melanoma, with more severe side "
        "effects than either antibody alone.",
        "body": _pd1_ctla4_body,
        "change_summary": "First version.",
        "citations": [_cite["larkin2015"], _nct["NCT01844505"]],
    },
    {
        "slug": "til-plus-anti-pd-1",
        "therapies": ["tumour-infiltrating-lymphocyte-therapy", "anti-pd-1-pd-l1-antibodies"],
        "evidence_level": "phase2",
        "key_trials": ["NCT05727904", "NCT03645928"],
        "title": "TIL therapy with PD-1 blockade",
        "summary": "Giving TIL therapy together with PD-1 blockade is investigational: early "
        "phase 2 cohorts only, with the randomised phase 3 TILVANCE-301 trial still "
        "recruiting.",
        "body": _til_pd1_body,
        "change_summary": "First version.",
        "citations": [
            _cite["rohaan2022"],
            _cite["cancernetwork_iovcom202"],
            _cite["jitc_tilvance301"],
            _nct["NCT05727904"],
            _nct["NCT03645928"],
        ],
    },
    {
        "slug": "gp100-vaccine-plus-high-dose-il-2",
        "therapies": ["cancer-vaccines", "cytokine-therapy"],
        "evidence_level": "phase3",
        "key_trials": ["NCT00019682"],
        "title": "gp100 peptide vaccine with high-dose interleukin-2",
        "summary": "In one phase 3 trial in HLA*A0201-positive advanced melanoma, adding a "
        "gp100 peptide vaccine to high-dose IL-2 improved response rate and progression-free "
        "survival over IL-2 alone.",
        "body": _gp100_il2_body,
        "change_summary": "First version.",
        "citations": [_cite["schwartzentruber2011"], _nct["NCT00019682"]],
    },
    {
        "slug": "ipilimumab-plus-gp100-vaccine",
        "therapies": ["anti-ctla-4-antibodies", "cancer-vaccines"],
        "evidence_level": "phase3",
        "key_trials": ["NCT00094653"],
        "title": "Ipilimumab with gp100 peptide vaccine",
        "summary": "In the phase 3 MDX010-20 trial, adding a gp100 peptide vaccine to "
        "ipilimumab did not improve survival over ipilimumab alone.",
        "body": _ctla4_gp100_body,
        "change_summary": "First version.",
        "citations": [_cite["hodi2010"], _nct["NCT00094653"]],
    },
]

# ---------------------------------------------------------------------------------------------
# Clinical-trial notes. Registry fields as shown on ClinicalTrials.gov where they could be
# confirmed; None / "" where they could not.
# ---------------------------------------------------------------------------------------------

TRIALS = [
    {
        "nct_id": "NCT01844505",
        "title": "CheckMate 067: nivolumab plus ipilimumab or nivolumab alone versus ipilimumab "
        "in untreated advanced melanoma",
        "phase": "PHASE3",
        "overall_status": "COMPLETED",
        "conditions": ["Unresectable or Metastatic Melanoma"],
        "interventions": ["Nivolumab", "Ipilimumab", "Placebo"],
        "sponsor": "Bristol-Myers Squibb",
        "enrollment": 945,
        "start_date": "2013-06-11",
        "primary_completion_date": "",
        "summary": "Double-blind phase 3 trial comparing nivolumab plus ipilimumab, nivolumab "
        "alone and ipilimumab alone as first treatment for unresectable stage III or IV "
        "melanoma.",
        "body": """## Design

Randomised, double-blind phase 3 trial. 945 previously untreated patients with unresectable
stage III or IV melanoma were assigned 1:1:1 to nivolumab alone, nivolumab plus ipilimumab,
or ipilimumab alone. Progression-free and overall survival were co-primary endpoints; the
2015 report presents progression-free survival [@pmid:26027431].

## Key results (2015 report)

- Median progression-free survival: 11.5 months with nivolumab plus ipilimumab, 6.9 months
  with nivolumab and 2.9 months with ipilimumab [@pmid:26027431].
- Hazard ratio for progression or death versus ipilimumab: 0.42 for the combination and 0.57
  for nivolumab alone.
- In PD-L1-positive tumours, median progression-free survival was 14.0 months with both the
  combination and nivolumab; in PD-L1-negative tumours, 11.2 versus 5.3 months [@pmid:26027431].
- Grade 3 or 4 treatment-related adverse events: 55.0% (combination), 16.3% (nivolumab),
  27.3% (ipilimumab) [@pmid:26027431].

## Caveats

This note covers the first, progression-free survival report only. The combination's higher
toxicity has to be weighed against its efficacy for each patient.
""",
        "therapies": ["anti-pd-1-pd-l1-antibodies", "anti-ctla-4-antibodies"],
        "combinations": ["anti-pd-1-plus-anti-ctla-4"],
        "change_summary": "First version.",
        "citations": [_cite["larkin2015"], _cite["larkin2015_doi"], _nct["NCT01844505"]],
    },
    {
        "nct_id": "NCT01866319",
        "title": "KEYNOTE-006: pembrolizumab versus ipilimumab in advanced melanoma",
        "phase": "PHASE3",
        "overall_status": "COMPLETED",
        "conditions": ["Melanoma"],
        "interventions": ["Pembrolizumab", "Ipilimumab"],
        "sponsor": "Merck Sharp & Dohme LLC",
        "enrollment": 834,
        "start_date": "2013-08-28",
        "primary_completion_date": "2015-03-03",
        "summary": "Open-label phase 3 trial comparing two pembrolizumab schedules with "
        "ipilimumab in ipilimumab-naive advanced melanoma.",
        "body": """## Design

Randomised, open-label phase 3 trial in 16 countries. 834 patients with advanced
melanoma who had not received ipilimumab, with known BRAF V600 status and up to one previous
systemic therapy, were assigned 1:1:1 to pembrolizumab 10 mg/kg every 2 weeks, pembrolizumab
10 mg/kg every 3 weeks, or four doses of ipilimumab 3 mg/kg every 3 weeks. Progression-free
and overall survival were co-primary endpoints [@pmid:25891173].

## Key results (2015 report)

- Estimated 6-month progression-free survival: 47.3% (every 2 weeks) and 46.4% (every
  3 weeks) with pembrolizumab versus 26.5% with ipilimumab [@pmid:25891173].
- Estimated 12-month overall survival: 74.1% and 68.4% versus 58.2% [@pmid:25891173].
- Grade 3 to 5 treatment-related adverse events: 13.3% and 10.1% versus 19.9% [@pmid:25891173].

## Caveats

The trial was open-label, and the comparator was ipilimumab rather than chemotherapy. The two
pembrolizumab schedules gave similar results.
""",
        "therapies": ["anti-pd-1-pd-l1-antibodies", "anti-ctla-4-antibodies"],
        "combinations": [],
        "change_summary": "First version.",
        "citations": [_cite["robert2015"], _nct["NCT01866319"]],
    },
    {
        "nct_id": "NCT02142738",
        "title": "KEYNOTE-024: pembrolizumab versus platinum-based chemotherapy in PD-L1-high "
        "advanced non-small-cell lung cancer",
        "phase": "PHASE3",
        "overall_status": "COMPLETED",
        "conditions": ["Non-Small Cell Lung Carcinoma"],
        "interventions": [
            "Pembrolizumab",
            "Paclitaxel",
            "Carboplatin",
            "Pemetrexed",
            "Cisplatin",
            "Gemcitabine",
        ],
        "sponsor": "Merck Sharp & Dohme LLC",
        "enrollment": 305,
        "start_date": "2014-08-25",
        "primary_completion_date": "",
        "summary": "Open-label phase 3 trial of first-line pembrolizumab versus platinum-based "
        "chemotherapy in advanced non-small-cell lung cancer with PD-L1 on at least 50% of "
        "tumour cells.",
        "body": """## Design

Randomised, open-label phase 3 trial. 305 patients with previously untreated advanced
non-small-cell lung cancer, PD-L1 expression on at least 50% of tumour cells and no
sensitising EGFR mutation or ALK translocation received pembrolizumab 200 mg every 3 weeks or
the investigator's choice of platinum-based chemotherapy. Crossover from chemotherapy to
pembrolizumab was allowed on disease progression. The primary endpoint was progression-free
survival, assessed by blinded independent central review [@pmid:27718847].

## Key results

- Median progression-free survival: 10.3 versus 6.0 months (hazard ratio 0.50) [@pmid:27718847].
- Estimated 6-month overall survival: 80.2% versus 72.4% (hazard ratio 0.60) [@pmid:27718847].
- Response rate: 44.8% versus 27.8% [@pmid:27718847].
- Grade 3 to 5 treatment-related adverse events: 26.6% versus 53.3% [@pmid:27718847].
- Updated analysis (median follow-up 25.2 months): median overall survival 30.0 versus 14.2
  months (hazard ratio 0.63), despite 82 patients crossing over to pembrolizumab on study
  [@pmid:30620668].

## Caveats

The results apply to PD-L1-high tumours without EGFR or ALK alterations. The trial was
open-label, although the primary endpoint was centrally reviewed.
""",
        "therapies": ["anti-pd-1-pd-l1-antibodies"],
        "combinations": [],
        "change_summary": "First version.",
        "citations": [_cite["reck2016"], _cite["reck2019"], _nct["NCT02142738"]],
    },
    {
        "nct_id": "NCT00094653",
        "title": "MDX010-20: ipilimumab with or without gp100 peptide vaccine versus gp100 alone "
        "in previously treated metastatic melanoma",
        "phase": "PHASE3",
        "overall_status": "COMPLETED",
        "conditions": ["Melanoma", "Metastases"],
        "interventions": [
            "MDX-010 (anti-CTLA4) monoclonal antibody",
            "MDX-1379 (gp100) Melanoma Peptide Vaccine",
        ],
        "sponsor": "Bristol-Myers Squibb",
        "enrollment": 1783,
        "start_date": "",
        "primary_completion_date": "",
        "summary": "Double-blind phase 3 trial in which ipilimumab, with or without a gp100 "
        "peptide vaccine, prolonged overall survival compared with the vaccine alone.",
        "body": """## Design

Randomised, double-blind phase 3 trial. 676 HLA-A*0201-positive patients with unresectable
stage III or IV melanoma that had progressed during therapy for metastatic disease were
assigned 3:1:1 to ipilimumab plus gp100 (403), ipilimumab alone (137) or gp100 alone (136).
Ipilimumab was given at 3 mg/kg every 3 weeks for up to four doses. The primary endpoint was
overall survival [@pmid:20525992].

## Key results

- Median overall survival: 10.0 months with ipilimumab plus gp100 and 10.1 months with
  ipilimumab alone, versus 6.4 months with gp100 alone (hazard ratio 0.68 for the primary
  comparison) [@pmid:20525992].
- No difference between the two ipilimumab groups (hazard ratio 1.04; P=0.76) [@pmid:20525992].
- Grade 3 or 4 immune-related adverse events occurred in 10 to 15% of ipilimumab-treated
  patients; 14 deaths (2.1%) were related to study drugs, 7 of them associated with
  immune-related adverse events [@pmid:20525992].

## Caveats

Enrolment was restricted to HLA-A*0201-positive patients because of the vaccine arms, and the
control arm was a vaccine rather than chemotherapy. The registry's enrollment (1,783) counts
everyone who was enrolled and screened; 676 of them were randomised.
""",
        "therapies": ["anti-ctla-4-antibodies", "cancer-vaccines"],
        "combinations": ["ipilimumab-plus-gp100-vaccine"],
        "change_summary": "First version.",
        "citations": [_cite["hodi2010"], _nct["NCT00094653"]],
    },
    {
        "nct_id": "NCT02348216",
        "title": "ZUMA-1: axicabtagene ciloleucel in refractory aggressive large B-cell lymphoma",
        "phase": "PHASE1_PHASE2",
        "overall_status": "COMPLETED",
        "conditions": [
            "Refractory Diffuse Large B Cell Lymphoma (DLBCL)",
            "Relapsed Diffuse Large B-Cell Lymphoma",
            "Transformed Follicular Lymphoma (TFL)",
            "Primary Mediastinal B-cell Lymphoma (PMBCL)",
            "High Grade B-cell Lymphoma (HGBCL)",
        ],
        "interventions": ["Axicabtagene Ciloleucel", "Fludarabine", "Cyclophosphamide"],
        "sponsor": "Kite, A Gilead Company",
        "enrollment": 307,
        "start_date": "2015-04-21",
        "primary_completion_date": "2020-09-10",
        "summary": "Single-arm phase 1/2 trial of the anti-CD19 CAR-T product axicabtagene "
        "ciloleucel in refractory large B-cell lymphoma; the basis of its US approval.",
        "body": """## Design

Multicentre, single-arm phase 1/2 trial. In the pivotal phase 2 portion, 111 patients with
diffuse large B-cell lymphoma, primary mediastinal B-cell lymphoma or transformed follicular
lymphoma that was refractory despite recommended prior therapy were enrolled. After low-dose
cyclophosphamide and fludarabine, patients received a target dose of 2 x 10^6 anti-CD19
CAR T cells per kg. The primary endpoint was objective response rate. The registry enrollment
(307) also counts later safety-management cohorts [@pmid:29226797].

## Key results

- Product manufactured for 110 patients (99%) and given to 101 (91%) [@pmid:29226797].
- Objective response rate 82%, complete response rate 54% [@pmid:29226797].
- Grade 3 or higher cytokine release syndrome 13%, grade 3 or higher neurologic events 28%
  [@pmid:29226797].
- At 5 years (101 treated patients), median overall survival was 25.8 months and the
  estimated 5-year overall survival rate 42.6%, with no new safety signals [@pmid:36821768].

## Caveats

Single-arm trial without a randomised comparator; results describe treated patients.
""",
        "therapies": ["car-t-cell-therapy"],
        "combinations": [],
        "change_summary": "First version.",
        "citations": [_cite["neelapu2017"], _cite["neelapu2023"], _nct["NCT02348216"]],
    },
    {
        "nct_id": "NCT02435849",
        "title": "ELIANA: tisagenlecleucel in children and young adults with relapsed or "
        "refractory B-cell acute lymphoblastic leukaemia",
        "phase": "PHASE2",
        "overall_status": "COMPLETED",
        "conditions": ["B-cell Acute Lymphoblastic Leukemia"],
        "interventions": ["CTL019"],
        "sponsor": "Novartis Pharmaceuticals",
        "enrollment": None,
        "start_date": "2015-04-08",
        "primary_completion_date": "",
        "summary": "Global single-arm phase 2 trial of the anti-CD19 CAR-T product "
        "tisagenlecleucel in paediatric and young-adult relapsed or refractory B-ALL.",
        "body": """## Design

Phase 2, single-cohort trial at 25 centres worldwide.
Children and young adults with CD19-positive relapsed or refractory B-cell acute
lymphoblastic leukaemia received a single infusion of tisagenlecleucel, an autologous
anti-CD19 CAR-T product with a 4-1BB co-stimulatory domain. The primary endpoint was the
overall remission rate (complete remission, or complete remission with incomplete blood-count
recovery) within 3 months [@pmid:29385370].

## Key results (2018 report)

- 75 patients were infused and evaluable; the overall remission rate was 81% [@pmid:29385370].
- All patients who responded had no detectable minimal residual disease.
- Overall survival at 12 months was 76% [@pmid:29385370].
- Cytokine release syndrome occurred in 77% and neurologic events in 40%; grade 3 or 4
  adverse events suspected to be related to treatment occurred in 73% [@pmid:29385370].

## Longer follow-up

In a 3-year update of 79 infused patients, the overall remission rate was 82%, median
event-free survival was 24 months and median overall survival had not been reached [@pmid:36399695].

## Caveats

Single-arm trial; results describe infused patients. Registry enrollment is left blank
because it could not be confirmed.
""",
        "therapies": ["car-t-cell-therapy"],
        "combinations": [],
        "change_summary": "First version.",
        "citations": [_cite["maude2018"], _cite["laetsch2023"], _nct["NCT02435849"]],
    },
    {
        "nct_id": "NCT02278887",
        "title": "TIL therapy versus ipilimumab in advanced melanoma: randomised phase 3 trial",
        "phase": "PHASE3",
        "overall_status": "COMPLETED",
        "conditions": ["Metastatic Melanoma"],
        "interventions": [
            "Translational research",
            "Cyclophosphamide",
            "Fludarabine",
            "Interleukin-2",
            "Ipilimumab infusion",
        ],
        "sponsor": "The Netherlands Cancer Institute",
        "enrollment": 168,
        "start_date": "2014-09-23",
        "primary_completion_date": "",
        "summary": "Academic phase 3 trial from the Netherlands and Denmark in which TIL therapy "
        "prolonged progression-free survival compared with ipilimumab in advanced melanoma.",
        "body": """## Design

Phase 3, multicentre, open-label trial. Patients with unresectable stage IIIC or IV melanoma
were randomly assigned 1:1 to TIL or ipilimumab (3 mg/kg every 3 weeks, up to four doses).
The TIL group had a metastasis removed to grow the cells, then received cyclophosphamide and
fludarabine, a single infusion of at least 5 x 10^9 TILs and high-dose interleukin-2. The
primary endpoint was progression-free survival [@pmid:36477031].

## Key results

- 168 patients were randomised (84 per group); 86% had disease refractory to anti-PD-1
  treatment [@pmid:36477031].
- Median follow-up 33.0 months [@pmid:36477031].
- Median progression-free survival: 7.2 months with TIL versus 3.1 months with ipilimumab
  (hazard ratio 0.50; 95% CI 0.35-0.72; P<0.001). At 6 months, 52.7% versus 21.4% were
  progression-free [@pmid:36477031].
- Objective response rate: 49% versus 21% [@pmid:36477031].
- Grade 3 or higher treatment-related adverse events occurred in all TIL recipients, mainly
  from the chemotherapy and IL-2, and in 57% of ipilimumab recipients [@pmid:36477031].

## Caveats

TILs were produced in academic facilities at two centres, and the comparator was ipilimumab
monotherapy, which is no longer the usual choice after PD-1 blockade.
""",
        "therapies": ["tumour-infiltrating-lymphocyte-therapy", "anti-ctla-4-antibodies"],
        "combinations": [],
        "change_summary": "First version.",
        "citations": [_cite["rohaan2022"], _nct["NCT02278887"]],
    },
    {
        "nct_id": "NCT05727904",
        "title": "TILVANCE-301: lifileucel plus pembrolizumab versus pembrolizumab alone in "
        "untreated advanced melanoma",
        "phase": "PHASE3",
        "overall_status": "RECRUITING",
        "conditions": ["Melanoma"],
        "interventions": [
            "Lifileucel plus Pembrolizumab",
            "Pembrolizumab with Optional Crossover Period",
        ],
        "sponsor": "Iovance Biotherapeutics, Inc.",
        "enrollment": 670,
        "start_date": "2023-03-30",
        "primary_completion_date": "",
        "summary": "Ongoing randomised phase 3 trial testing whether adding the TIL product "
        "lifileucel to first-line pembrolizumab improves outcomes in advanced melanoma.",
        "body": """## Design

Phase 3, multicentre, randomised, open-label trial. About 670 patients with untreated,
unresectable or metastatic melanoma (stage IIIC, IIID or IV) are randomly assigned 1:1 to
lifileucel plus pembrolizumab or pembrolizumab alone. Patients must have at least one
resectable lesion to make lifileucel and at least one further measurable lesion
[@url:https://jitc.bmj.com/content/11/Suppl_1/A875].

In the combination arm, a tumour deposit is removed for TIL manufacture; pembrolizumab is
started, followed by lymphodepleting chemotherapy (cyclophosphamide and fludarabine), the
lifileucel infusion, up to six doses of high-dose IL-2, and then continued pembrolizumab.
Patients in the pembrolizumab-alone arm whose disease progresses, as confirmed by blinded
independent review, may cross over to lifileucel.

## Endpoints

Dual primary endpoints are objective response rate and progression-free survival assessed by
blinded independent review; overall survival is the key secondary endpoint.

## Status

Recruiting; no results have been reported. Enrollment (670) is the planned figure.
""",
        "therapies": ["tumour-infiltrating-lymphocyte-therapy", "anti-pd-1-pd-l1-antibodies"],
        "combinations": ["til-plus-anti-pd-1"],
        "change_summary": "First version.",
        "citations": [_cite["jitc_tilvance301"], _nct["NCT05727904"]],
    },
    {
        "nct_id": "NCT00065442",
        "title": "IMPACT: sipuleucel-T versus placebo in metastatic castration-resistant "
        "prostate cancer",
        "phase": "PHASE3",
        "overall_status": "COMPLETED",
        "conditions": ["Prostate Cancer"],
        "interventions": ["Sipuleucel-T", "APC-Placebo"],
        "sponsor": "Dendreon",
        "enrollment": 512,
        "start_date": "2003-07",
        "primary_completion_date": "2009-01",
        "summary": "Double-blind, placebo-controlled phase 3 trial in which the autologous "
        "cellular immunotherapy sipuleucel-T prolonged overall survival in metastatic "
        "castration-resistant prostate cancer.",
        "body": """## Design

Double-blind, placebo-controlled, multicentre phase 3 trial. 512 men with metastatic
castration-resistant prostate cancer were randomly assigned 2:1 to sipuleucel-T (341) or
placebo (171), given intravenously every 2 weeks for three infusions. Sipuleucel-T consists of
the patient's own blood mononuclear cells, including antigen-presenting cells, activated in
the laboratory with a PAP-GM-CSF fusion protein; the placebo was made from the patient's
cells without this activation. The primary endpoint was overall survival [@pmid:20818862].

## Key results

- Relative reduction of 22% in the risk of death (hazard ratio 0.78; 95% CI 0.61-0.98;
  P=0.03) [@pmid:20818862].
- Median overall survival 25.8 versus 21.7 months (a 4.1-month improvement) [@pmid:20818862].
- 36-month survival 31.7% versus 23.0% [@pmid:20818862].
- The effect held after adjustment for docetaxel use after the study therapy (hazard ratio
  0.78) [@pmid:20818862].
- Time to objective disease progression was similar in the two groups.

## Caveats

The survival benefit was not accompanied by a delay in measurable progression, which makes
conventional response measures a poor guide to whether the treatment is working.
""",
        "therapies": ["cancer-vaccines"],
        "combinations": [],
        "change_summary": "First version.",
        "citations": [_cite["kantoff2010"], _nct["NCT00065442"]],
    },
    {
        "nct_id": "NCT00019682",
        "title": "gp100 peptide vaccine plus high-dose interleukin-2 versus interleukin-2 alone "
        "in advanced melanoma",
        "phase": "PHASE3",
        "overall_status": "COMPLETED",
        "conditions": ["Melanoma"],
        "interventions": ["Aldesleukin", "gp100 antigen", "Montanide ISA-51"],
        "sponsor": "National Cancer Institute (NCI)",
        # As the registry record gives it (the issue's fact-check of the demo, #11).
        "enrollment": 185,
        "start_date": "",
        "primary_completion_date": "",
        "summary": "Randomised phase 3 trial in which a gp100 peptide vaccine given with "
        "high-dose IL-2 improved response rate and progression-free survival over IL-2 alone.",
        "body": """## Design

Randomised phase 3 trial involving 185 patients at 21 centres. Eligible patients had stage IV
or locally advanced stage III cutaneous melanoma, expressed HLA*A0201, had no brain
metastases and were suitable for high-dose IL-2. They received IL-2 alone (720,000 IU per kg
per dose) or the gp100:209-217(210M) peptide with incomplete Freund's adjuvant (Montanide
ISA-51) once per cycle, followed by IL-2. The primary endpoint was clinical response;
secondary endpoints included toxic effects and progression-free survival [@pmid:21631324].

## Key results

- Overall response: 16% with vaccine plus IL-2 versus 6% with IL-2 alone [@pmid:21631324].
- Median progression-free survival: 2.2 versus 1.6 months [@pmid:21631324].
- Median overall survival: 17.8 versus 11.1 months (overall survival was not the primary
  endpoint) [@pmid:21631324].
- Toxic effects were consistent with those expected from IL-2.

## Caveats

Restricted to HLA*A0201-positive patients fit for high-dose IL-2. Registry dates are left
blank because they could not be confirmed here; an import of the registry record fills them
in for review.
""",
        "therapies": ["cancer-vaccines", "cytokine-therapy"],
        "combinations": ["gp100-vaccine-plus-high-dose-il-2"],
        "change_summary": "First version.",
        "citations": [_cite["schwartzentruber2011"], _nct["NCT00019682"]],
    },
    {
        "nct_id": "NCT00769704",
        "title": "OPTiM: talimogene laherparepvec versus GM-CSF in unresectable stage IIIB-IV "
        "melanoma",
        "phase": "PHASE3",
        "overall_status": "COMPLETED",
        "conditions": ["Melanoma"],
        # Registry facts as the record gives them (ClinicalTrials.gov NCT00769704, results
        # page: sponsor BioVex Limited, collaborator Amgen, "Biological" interventions,
        # results first posted 2015-12-17, last update posted 2016-07-13), in the form an
        # import of the record writes them (issue 11).
        "interventions": ["Biological: Talimogene laherparepvec", "Biological: GM-CSF"],
        "study_type": "INTERVENTIONAL",
        "sponsor": "BioVex Limited",
        "collaborators": ["Amgen"],
        "enrollment": 437,  # as registered (the fact-check of the demo found 439 typed)
        "enrollment_type": "ACTUAL",
        "results_posted": True,
        "registry_last_update": datetime.date(2016, 7, 13),
        "start_date": "2009-04",
        "primary_completion_date": "2013-02",
        "summary": "Open-label phase 3 trial in which intralesional talimogene laherparepvec "
        "improved the durable response rate over subcutaneous GM-CSF.",
        "body": """## Design

Randomised, open-label phase 3 trial. 436 patients (intention-to-treat population) with
unresectable, injectable stage IIIB, IIIC or IV melanoma were assigned 2:1 to talimogene
laherparepvec (T-VEC) injected into lesions or to GM-CSF given under the skin. The primary
endpoint was the durable response rate: a complete or partial response beginning within
12 months of treatment and lasting at least 6 months [@pmid:26014293].

## Key results

- Durable response rate: 16.3% with T-VEC versus 2.1% with GM-CSF [@pmid:26014293].
- Overall response rate: 26.4% versus 5.7% [@pmid:26014293].
- Median overall survival: 23.3 versus 18.9 months (hazard ratio 0.79; P=0.051), not
  statistically significant [@pmid:26014293].
- In a lesion-level analysis of the T-VEC arm, 64% of injected lesions, 34% of uninjected
  non-visceral lesions and 15% of visceral lesions decreased in size by at least 50%
  [@pmid:27342831].

## Caveats

The comparator, GM-CSF, is not an active standard treatment for melanoma, and the trial was
open-label. Registry enrollment (437) differs slightly from the 436 analysed patients
[@nct:NCT00769704].
""",
        "therapies": ["oncolytic-virus-therapy"],
        "combinations": [],
        "change_summary": "First version.",
        "citations": [
            _cite["andtbacka2015"],
            _cite["andtbacka2016"],
            _nct["NCT00769704"],
        ],
    },
    {
        "nct_id": "NCT02013167",
        "title": "TOWER: blinatumomab versus standard-of-care chemotherapy in relapsed or "
        "refractory B-precursor acute lymphoblastic leukaemia",
        "phase": "PHASE3",
        "overall_status": "TERMINATED",
        "conditions": ["Relapsed/Refractory B-precursor Acute Lymphoblastic Leukemia"],
        "interventions": ["Blinatumomab", "Standard of Care Chemotherapy"],
        "sponsor": "Amgen",
        "enrollment": 405,
        "start_date": "",
        "primary_completion_date": "",
        "summary": "Open-label phase 3 trial in which the CD19 x CD3 bispecific blinatumomab "
        "prolonged overall survival compared with chemotherapy in adults with advanced B-ALL.",
        "body": """## Design

Multi-institutional, open-label phase 3 trial. Adults with heavily pretreated Philadelphia
chromosome-negative B-cell precursor acute lymphoblastic leukaemia were randomly assigned 2:1
to blinatumomab or the investigator's choice of one of four standard chemotherapy regimens.
Blinatumomab was given by continuous intravenous infusion for 4 weeks followed by 2 weeks off
treatment. The primary endpoint was overall survival [@pmid:28249141].

## Key results

- 405 patients were randomised (271 blinatumomab, 134 chemotherapy); 376 received at least
  one dose [@pmid:28249141].
- Median overall survival: 7.7 versus 4.0 months (hazard ratio 0.71; 95% CI 0.55-0.93;
  P=0.01) [@pmid:28249141].
- Complete remission with full blood-count recovery within 12 weeks: 34% versus 16%; with
  full, partial or incomplete recovery: 44% versus 25% [@pmid:28249141].
- 6-month event-free survival: 31% versus 12% [@pmid:28249141].

## Caveats

Open-label trial limited to Philadelphia chromosome-negative disease. The registry lists the
trial as terminated: it was stopped early on the data monitoring committee's recommendation
because of the survival benefit.
""",
        "therapies": ["bispecific-t-cell-engagers"],
        "combinations": [],
        "change_summary": "First version.",
        "citations": [_cite["kantarjian2017"], _nct["NCT02013167"]],
    },
]

# Trial notes loaded the way a real one arrives: `import_ctgov` reads the registry record
# shipped beside this module (byte-exact from ClinicalTrials.gov API v2, public domain), which
# gives the note its registry facts, its NCT citation and its therapy links; then an editor
# writes the note and a moderator approves it. Importing the same record again is a no-op.
# The body says only what the record says: the trial has no results yet.
# Coverage added after the demo's fact-check (issue 16): landmark trials a reader expects.
# Only what was checked against the publication is given; registry facts that could not be
# checked against the record (status, enrollment, dates, sponsor's registered name) are left
# blank, and the note says so.
TRIALS.append({
    "nct_id": "NCT02578680",
    "title": "KEYNOTE-189: pembrolizumab plus pemetrexed-platinum chemotherapy in untreated "
    "metastatic nonsquamous non-small-cell lung cancer",
    "phase": "PHASE3",
    "overall_status": "",
    "conditions": [],
    "interventions": ["Pembrolizumab", "Placebo", "Pemetrexed", "Cisplatin", "Carboplatin"],
    "sponsor": "",
    "enrollment": None,
    "start_date": "",
    "primary_completion_date": "",
    "summary": "Double-blind phase 3 trial: adding pembrolizumab to pemetrexed and platinum "
    "chemotherapy improved overall survival in untreated metastatic nonsquamous "
    "non-small-cell lung cancer.",
    "body": """## Design

Randomised, double-blind phase 3 trial. 616 patients with previously untreated metastatic
nonsquamous non-small-cell lung cancer without sensitising EGFR or ALK mutations were assigned
2:1 to pemetrexed and a platinum-based drug plus either pembrolizumab 200 mg or placebo every
3 weeks for 4 cycles, then pembrolizumab or placebo (up to 35 cycles in all) with pemetrexed
maintenance. Patients on placebo whose disease progressed could cross over to pembrolizumab.
Overall and progression-free survival were the primary endpoints [@pmid:29658856].

## Key results (2018 report, median follow-up 10.5 months)

- Estimated 12-month overall survival: 69.2% with pembrolizumab versus 49.4% with placebo
  (hazard ratio for death 0.49) [@pmid:29658856].
- Median progression-free survival: 8.8 versus 4.9 months (hazard ratio 0.52)
  [@pmid:29658856].
- The overall-survival benefit was seen in every PD-L1 category evaluated [@pmid:29658856].
- Grade 3 or higher adverse events: 67.2% versus 65.8% [@pmid:29658856].

## Caveats

The registry facts (recruitment status, enrollment, dates) are not shown here: they have not
yet been checked against the registry record.
""",
    "therapies": ["anti-pd-1-pd-l1-antibodies"],
    "combinations": [],
    "change_summary": "First version.",
    "citations": [_cite["gandhi2018"], _trial("NCT02578680")],
})  # fmt: skip

TRIALS.append({
    "nct_id": "NCT01642004",
    "title": "CheckMate 017: nivolumab versus docetaxel in previously treated advanced "
    "squamous non-small-cell lung cancer",
    "phase": "PHASE3", "overall_status": "",
    "conditions": ["Squamous Cell Non-small Cell Lung Cancer"],
    "interventions": ["Nivolumab", "Docetaxel"], "sponsor": "Bristol-Myers Squibb",
    "enrollment": 352, "start_date": "2012-09", "primary_completion_date": "2014-11",
    "summary": "Open-label phase 3 trial: nivolumab prolonged overall survival over docetaxel "
    "in squamous non-small-cell lung cancer that progressed after platinum chemotherapy.",
    "body": """## Design

Randomised, open-label, international phase 3 trial. 272 patients with advanced squamous
non-small-cell lung cancer whose disease had progressed during or after first-line
chemotherapy received nivolumab 3 mg/kg every 2 weeks or docetaxel 75 mg/m2 every 3 weeks.
Overall survival was the primary endpoint [@pmid:26028407].

## Key results (2015 report)

- Median overall survival: 9.2 months with nivolumab versus 6.0 months with docetaxel (hazard
  ratio for death 0.59) [@pmid:26028407].
- Overall survival at 1 year: 42% versus 24% [@pmid:26028407].
- Response rate: 20% versus 9%; median progression-free survival 3.5 versus 2.8 months
  [@pmid:26028407].
- Grade 3 or 4 treatment-related adverse events: 7% versus 55% [@pmid:26028407].
- Tumour PD-L1 expression was neither prognostic nor predictive of benefit [@pmid:26028407].

## Registry facts

Condition, sponsor, enrollment and dates are as the ClinicalTrials.gov record gives them (the
record's data as of December 2016 and its results page as of June 2020). The registry's
enrollment counts everyone enrolled (352); 272 of them were randomised
[@nct:NCT01642004]. The recruitment status
is not shown: the copies of the record at hand are older than the trial's end.
""",
    "therapies": ["anti-pd-1-pd-l1-antibodies"], "combinations": [],
    "change_summary": "First version.",
    "citations": [_cite["brahmer2015"], _trial("NCT01642004")],
})  # fmt: skip

TRIALS.append({
    "nct_id": "NCT01673867",
    "title": "CheckMate 057: nivolumab versus docetaxel in previously treated advanced "
    "nonsquamous non-small-cell lung cancer",
    "phase": "PHASE3", "overall_status": "",
    "conditions": ["Non-Squamous Cell Non-small Cell Lung Cancer"],
    "interventions": ["Nivolumab", "Docetaxel"], "sponsor": "Bristol-Myers Squibb",
    "enrollment": 792, "start_date": "", "primary_completion_date": "",
    "summary": "Open-label phase 3 trial: nivolumab prolonged overall survival over docetaxel "
    "in nonsquamous non-small-cell lung cancer that progressed after platinum chemotherapy.",
    "body": """## Design

Randomised, open-label, international phase 3 trial in nonsquamous non-small-cell lung cancer
that had progressed during or after platinum-based doublet chemotherapy: nivolumab 3 mg/kg
every 2 weeks (292 patients) or docetaxel 75 mg/m2 every 3 weeks (290 patients). Overall
survival was the primary endpoint [@pmid:26412456].

## Key results (2015 report)

- Median overall survival: 12.2 months with nivolumab versus 9.4 months with docetaxel
  (hazard ratio for death 0.73) [@pmid:26412456].
- Overall survival at 1 year: 51% versus 39% [@pmid:26412456].

## Registry facts

Condition, sponsor and enrollment are as the ClinicalTrials.gov record gives them (its results
page as of April 2018). The registry's enrollment counts everyone enrolled (792); 582 of them
were randomised [@nct:NCT01673867]. The recruitment status and dates are not shown: the
copies of the record at hand are older than the trial's end, or do not give them.
""",
    "therapies": ["anti-pd-1-pd-l1-antibodies"], "combinations": [],
    "change_summary": "First version.",
    "citations": [_cite["borghaei2015"], _trial("NCT01673867")],
})  # fmt: skip

TRIALS.append({
    "nct_id": "NCT02445248",
    "title": "JULIET: tisagenlecleucel in adults with relapsed or refractory large B-cell "
    "lymphoma",
    "phase": "PHASE2", "overall_status": "COMPLETED",
    "conditions": ["Diffuse Large B-cell Lymphoma (DLBCL)"],
    "interventions": ["Tisagenlecleucel"], "sponsor": "", "enrollment": 115,
    "start_date": "2015-07-29", "primary_completion_date": "2022-12-22",
    "summary": "Single-arm phase 2 trial of the CD19 CAR-T product tisagenlecleucel in adults "
    "with relapsed or refractory large B-cell lymphoma; the basis of its lymphoma approval.",
    "body": """## Design

Multicentre, open-label, single-arm phase 2 trial at 27 sites in ten countries. Adults with
relapsed or refractory large B-cell lymphoma who were ineligible for, did not consent to, or
had progressed after autologous stem-cell transplantation received a single infusion of
tisagenlecleucel. The primary endpoint was the overall response rate assessed by an
independent review committee [@pmid:34516954].

## Key results

- Primary analysis: best overall response rate 52% and complete response rate 40% in 93
  evaluable patients [@pmid:34516954].
- Long-term analysis: of 167 patients enrolled, 115 were infused; at a median follow-up of
  40.3 months the overall response rate was 53.0% (61 of 115), with complete responses in 39%
  [@pmid:34516954].

## Registry facts

Status, condition, enrollment and dates are as the ClinicalTrials.gov record gives them (its
pages as of May 2023 and April 2024, after the trial was completed). The registry's enrollment
counts the 115 patients who were infused [@nct:NCT02445248].
""",
    "therapies": ["car-t-cell-therapy"], "combinations": [],
    "change_summary": "First version.",
    "citations": [_cite["schuster2021"], _trial("NCT02445248")],
})  # fmt: skip

TRIALS.append({
    "nct_id": "NCT03361748",
    "title": "KarMMa: idecabtagene vicleucel, a BCMA-directed CAR-T product, in relapsed and "
    "refractory multiple myeloma",
    "phase": "PHASE2", "overall_status": "", "conditions": ["Multiple Myeloma"],
    "interventions": ["Idecabtagene vicleucel"], "sponsor": "", "enrollment": 149,
    "start_date": "2017-12-13", "primary_completion_date": "",
    "summary": "Single-arm phase 2 trial of the first BCMA-directed CAR-T product in heavily "
    "pretreated multiple myeloma; the basis of its US approval in March 2021.",
    "body": """## Design

Single-arm trial: adults with relapsed or refractory multiple myeloma received one infusion of
idecabtagene vicleucel after lymphodepleting cyclophosphamide and fludarabine. The US FDA
approved it in March 2021 for patients after four or more lines of therapy, including an
immunomodulatory agent, a proteasome inhibitor and an anti-CD38 antibody
[@url:https://aacrjournals.org/clincancerres/article-abstract/28/9/1759/694446/FDA-Approval-Summary-Idecabtagene-Vicleucel-for].

## Key results (FDA review)

- In the 100 efficacy-evaluable patients, the overall response rate was 72% and the stringent
  complete response rate 28%
  [@url:https://aacrjournals.org/clincancerres/article-abstract/28/9/1759/694446/FDA-Approval-Summary-Idecabtagene-Vicleucel-for].
- Grade 3 or higher cytokine release syndrome occurred in 9% and grade 3 or higher neurologic
  toxicity in 4% of the 127 patients evaluated for safety
  [@url:https://aacrjournals.org/clincancerres/article-abstract/28/9/1759/694446/FDA-Approval-Summary-Idecabtagene-Vicleucel-for].

## Registry facts

Condition, enrollment and start date are as the ClinicalTrials.gov record gives them (its page
as of March 2023) [@nct:NCT03361748]. The recruitment status and the completion dates are
not shown: that copy was still waiting for an estimated completion that has since passed.
""",
    "therapies": ["car-t-cell-therapy"], "combinations": [],
    "change_summary": "First version.",
    "citations": [_cite["fda_idecel_summary"], _trial("NCT03361748")],
})  # fmt: skip

IMPORTED_TRIALS = [
    {
        "record": "NCT04267848.json",
        "title": "ALCHEMIST Chemo-IO (ACCIO): pembrolizumab with or after adjuvant "
        "chemotherapy for resected non-small-cell lung cancer",
        "summary": "Open-label phase 3 trial of the National Cancer Institute's ALCHEMIST "
        "programme comparing pembrolizumab given with adjuvant platinum chemotherapy against "
        "pembrolizumab given after it, once stage II-IIIB non-small-cell lung cancer has been "
        "removed by surgery.",
        "body": """## Design

Randomised, open-label phase 3 trial (Alliance A081801), part of the National Cancer
Institute's ALCHEMIST programme. It enrols patients whose stage IIA, IIB, IIIA or IIIB
(T3-4N2) non-small-cell lung cancer, squamous or non-squamous, has been completely removed by
surgery, without an EGFR exon 19 deletion or L858R mutation or an ALK rearrangement in
non-squamous tumours.

Every patient receives one of four platinum doublets (cisplatin or carboplatin with
pemetrexed, cisplatin with gemcitabine, or carboplatin with paclitaxel), chosen by the
treating physician:

- **Sequential arm (B):** chemotherapy first, then pembrolizumab.
- **Concurrent arm (C):** pembrolizumab with the chemotherapy, then continued alone.
- A third arm, chemotherapy followed by observation (A), closed to enrolment on 1 February
  2022.

## Endpoints

The primary endpoint is disease-free survival, sequential versus concurrent pembrolizumab.
Overall survival, adverse events, treatment discontinuation and quality of life are secondary
endpoints; PD-L1 expression and tumour mutational burden are studied as correlates.

## Caveats

No results have been reported. The completion dates in the registry record are estimates,
and the design above is as registered: the published report, when it comes, is the source
to read.
""",
        "change_summary": "Editors' note written on the imported registry record.",
    },
]

# ---------------------------------------------------------------------------------------------
# Content that exists in the admin but is NOT public, to show the editorial workflow.
# ---------------------------------------------------------------------------------------------


# CAR-T: what the approvals are now (the fact-check found them as of 2018), and the boxed
# warning and REMS changes since. Applied to the live version and the one in review alike.
_CART_APPROVALS = """\
Axicabtagene ciloleucel (October 2017) and tisagenlecleucel (May 2018) were first approved in
the United States for large B-cell lymphoma after two or more lines of systemic therapy
[@url:http://ashpublications.net/blood/article/132/8/777/39453/Translating-anti-CD19-CAR-T-cell-therapy-into].
Since April 2022, axicabtagene ciloleucel is also approved as second-line treatment for large
B-cell lymphoma that is refractory to first-line chemoimmunotherapy or relapses within 12
months of it, on the basis of the randomised ZUMA-7 trial
[@url:https://lymphomahub.com/medical-information/axicabtagene-ciloleucel-receives-us-fda-approval-as-second-line-treatment-for-large-b-cell-lymphoma].
Tisagenlecleucel is also approved for patients up to 25 years of age with B-cell precursor
acute lymphoblastic leukaemia that is refractory or in second or later relapse
[@url:https://www.hcp.novartis.com/products/kymriah/acute-lymphoblastic-leukemia-children/efficacy/].
Its lymphoma approval rests on the single-arm [JULIET](/trials/NCT02445248/) trial. CAR-T
products directed at BCMA, for multiple myeloma, are described in
[BCMA-directed CAR-T cell therapy](/therapies/bcma-car-t-cell-therapy/).
"""
_CART_SAFETY = """Treatment is given in specialised centres that can manage these effects.

Since April 2024, the US labels of all approved CD19- and BCMA-directed autologous CAR-T
products carry a boxed warning for T-cell malignancies, which have occurred after treatment
[@url:https://www.fda.gov/vaccines-blood-biologics/safety-availability-biologics/fda-requires-boxed-warning-t-cell-malignancies-following-treatment-bcma-directed-or-cd19-directed].
In June 2025 the FDA removed the risk evaluation and mitigation strategies (REMS) of these
products: hospitals no longer need special certification to give them, and the labels'
monitoring requirements were streamlined
[@url:https://www.fda.gov/news-events/press-announcements/fda-eliminates-risk-evaluation-and-mitigation-strategies-rems-autologous-chimeric-antigen-receptor].
"""
_CART_SOURCES = [
    "lymphomahub_zuma7",
    "kymriah_indication",
    "fda_cart_boxed_warning",
    "fda_cart_rems",
]


def _cart_corrected(body: str) -> str:
    start = body.index("Axicabtagene ciloleucel (October 2017)")
    end = body.index("\n\n", start) + 1
    body = body[:start] + _CART_APPROVALS + body[end:]
    safety = "Treatment is given in specialised centres that can manage these effects.\n"
    assert body.count(safety) == 1
    return body.replace(safety, _CART_SAFETY)


PENDING_UPDATES = [
    {
        "kind": "therapy",
        "slug": "car-t-cell-therapy",
        "state": "in_review",
        "version": {
            "title": "CAR-T cell therapy",
            "summary": "The patient's own T cells are engineered to recognise CD19 and infused "
            "back. CD19 CAR-T products produce durable remissions in refractory large B-cell "
            "lymphoma and in relapsed or refractory B-cell ALL.",
            "body": _cart_corrected(
                """## How it works

CAR-T therapy is made from the patient's own T cells. They are collected from the blood,
genetically engineered to carry a chimeric antigen receptor (CAR) that recognises a target on
cancer cells, multiplied, and given back as a single infusion after lymphodepleting
chemotherapy. The first approved products target CD19, found on most B-cell cancers.
Products differ in design, for example in the co-stimulatory signal built into the receptor
(CD28 in axicabtagene ciloleucel, 4-1BB in tisagenlecleucel).

## Evidence

| Trial | Population | Main result |
| --- | --- | --- |
| ZUMA-1 | Refractory large B-cell lymphoma (101 treated) | Response 82%, complete 54% |
| ELIANA | Children and young adults with relapsed/refractory B-ALL (75 infused) | Remission 81% |

In ELIANA, all patients who responded had no detectable minimal residual disease.

## Long-term outcomes

At 5 years, ZUMA-1 responses were still ongoing in 31% of the 101 treated patients (median
follow-up 63.1 months). Median overall survival was 25.8 months and the estimated 5-year
overall survival rate 42.6%; no new serious adverse events or deaths related to axicabtagene
ciloleucel were seen with longer follow-up. In a 3-year update of ELIANA (79 infused
patients), median event-free survival was 24 months.

Axicabtagene ciloleucel (October 2017) and tisagenlecleucel (May 2018) were approved in the
United States for large B-cell lymphoma after two prior lines of therapy; tisagenlecleucel is
also approved for relapsed or refractory B-ALL in patients up to 25 years old.

## Side effects

Cytokine release syndrome and neurologic events are the main acute risks. In ZUMA-1, grade 3
or higher cytokine release syndrome occurred in 13% and grade 3 or higher neurologic events in
28%; in ELIANA, cytokine release syndrome occurred in 77% and neurologic events in 40%.
Treatment is given in specialised centres that can manage these effects.
"""
            ),
            "key_agents": ["axicabtagene ciloleucel", "tisagenlecleucel"],
            "change_summary": "Added a long-term outcomes section with 5-year ZUMA-1 follow-up "
            "(PMID 36821768): ongoing remissions and 5-year overall survival.",
            "citations": [
                _cite["neelapu2017"],
                _cite["neelapu2023"],
                _cite["maude2018"],
                _cite["laetsch2023"],
                _cite["blood2018_cart_review"],
                _cite["pmc_crs_review"],
                *(_cite[name] for name in _CART_SOURCES),
            ],
        },
    },
    {
        "kind": "therapy",
        "slug": "oncolytic-virus-therapy",
        "state": "changes_requested",
        "review_comment": "The new section 'Effects beyond the injected lesions' has no source. "
        "Please cite the lesion-level OPTiM analysis (Andtbacka RH, et al. Ann Surg Oncol. "
        "2016; PMID 27342831), say that these figures are per lesion, not per patient, and "
        "that the analysis was done in the T-VEC arm only. Otherwise ready to approve.",
        "version": {
            "title": "Oncolytic virus therapy: talimogene laherparepvec (T-VEC)",
            "summary": "A modified herpes virus injected into melanoma deposits kills cancer "
            "cells and stimulates immunity; it improved the durable response rate over GM-CSF "
            "in the phase 3 OPTiM trial.",
            "body": _oncolytic_pending_body,
            "key_agents": ["talimogene laherparepvec"],
            "change_summary": "Added a section on responses in uninjected lesions.",
            "citations": [_cite["andtbacka2015"], _cite["orloff2016"], _cite["fda_ovt2017"]],
        },
    },
    {
        "kind": "combination",
        "slug": "anti-pd-1-plus-anti-ctla-4",
        "state": "draft",
        "version": {
            "title": "Nivolumab plus ipilimumab (PD-1 plus CTLA-4 blockade)",
            "summary": "Blocking two separate T-cell brakes gave the longest progression-free "
            "survival in CheckMate 067, with the largest gain over nivolumab alone in "
            "PD-L1-negative tumours and more severe side effects.",
            "body": _pd1_ctla4_draft_body,
            "change_summary": "Draft: reorganise around the PD-L1 subgroup results.",
            "citations": [_cite["larkin2015"], _nct["NCT01844505"], _cite["wolchok2022"]],
        },
    },
    {
        # A periodic re-review that changes no content: approved now, published next week.
        # Only the change summary is given, so the new version copies the live one unchanged.
        "kind": "trial",
        "slug": "NCT00065442",
        "state": "approved",
        "publish_in_days": 7,
        "review_comment": "Re-checked against Kantoff et al. 2010; scheduled with the other "
        "annual re-reviews.",
        "version": {
            "change_summary": "Annual re-review: checked against the cited sources; no content "
            "changes.",
        },
    },
]

# Whole items that have never been published: a draft therapy article and a trial note in
# review, each with one version.
UNPUBLISHED_ITEMS = [
    {
        "kind": "therapy",
        "state": "draft",
        "slug": "tcr-engineered-t-cell-therapy",
        "therapy_class": "adoptive_cell_transfer",
        # Each agent named in the article is approved by the FDA for at least one indication.
        "evidence_level": "standard_of_care",
        "cancer_types": ["synovial-sarcoma"],
        "versions": [
            {
                "title": "TCR-engineered T-cell therapy",
                "summary": "The patient's T cells are given an engineered T-cell receptor that "
                "recognises a cancer antigen presented on HLA; afamitresgene autoleucel targets "
                "MAGE-A4 in synovial sarcoma.",
                "body": """## How it works

Like CAR-T, TCR-T therapy uses the patient's own T cells, collected, engineered and infused
back after lymphodepleting chemotherapy. Instead of a CAR, the cells receive an engineered
T-cell receptor (TCR). A TCR recognises a fragment of a protein presented on the cell surface
by an HLA molecule, so it can target proteins that sit inside the cancer cell, but only in
patients with the matching HLA type.

## Afamitresgene autoleucel (afami-cel)

Afami-cel carries an affinity-enhanced TCR against a MAGE-A4 peptide presented by HLA-A*02.
In cohort 1 of the phase 2 SPEARHEAD-1 trial, 52 patients with HLA-A*02-positive,
MAGE-A4-expressing advanced synovial sarcoma (44) or myxoid round cell liposarcoma (8) who
had received anthracycline- or ifosfamide-containing chemotherapy received a single infusion.
The overall response rate was 37% (all partial responses); in synovial sarcoma it was 39%,
with a median duration of response of 11.6 months.

On August 2, 2024, the US FDA granted accelerated approval to afami-cel for adults with
unresectable or metastatic synovial sarcoma who have received prior chemotherapy, carry
HLA-A*02:01P, -A*02:02P, -A*02:03P or -A*02:06P, and whose tumour expresses MAGE-A4.

## Side effects

Cytokine release syndrome occurred in 71% of patients. Low blood counts were the most common
severe events (lymphopenia 96%, neutropenia 85%, leukopenia 81%).
""",
                "key_agents": ["afamitresgene autoleucel"],
                "change_summary": "First version.",
                "citations": [
                    _cite["dangelo2024"],
                    _cite["fda_afamicel"],
                    _nct["NCT04044768"],
                ],
            },
        ],
    },
    {
        "kind": "trial",
        "state": "in_review",
        "nct_id": "NCT03070392",
        "title": "IMCgp100-202: tebentafusp versus investigator's choice in previously untreated "
        "metastatic uveal melanoma",
        "phase": "PHASE2",
        "overall_status": "",  # not checked against a current record (issue 16)
        "conditions": ["Uveal Melanoma"],
        "interventions": ["IMCgp100", "Dacarbazine", "Ipilimumab", "Pembrolizumab"],
        "sponsor": "Immunocore Ltd",
        "enrollment": 378,
        "start_date": "2017-10-16",
        "primary_completion_date": "2020-10-13",
        "summary": "Randomised trial in which tebentafusp improved overall survival over "
        "investigator's choice in HLA-A*02:01-positive, previously untreated metastatic uveal "
        "melanoma.",
        "body": """## Design

Open-label randomised trial. Previously untreated, HLA-A*02:01-positive patients with
metastatic uveal melanoma were assigned 2:1 to tebentafusp or the investigator's choice of
single-agent pembrolizumab, ipilimumab or dacarbazine, stratified by lactate dehydrogenase
level. The primary endpoint was overall survival. The publication describes the trial as
phase 3; the ClinicalTrials.gov record lists it as phase 2, which is the value shown here.

## Key results

- 378 patients were randomised (252 tebentafusp, 126 control).
- Overall survival at 1 year: 73% versus 59% (hazard ratio for death 0.51; 95% CI 0.37-0.71).
- Progression-free survival at 6 months: 31% versus 19% (hazard ratio 0.73; 95% CI
  0.58-0.94).
- The most common treatment-related adverse events with tebentafusp were cytokine-mediated
  (from T-cell activation) and skin-related (from targeting gp100 on normal melanocytes).

## Caveats

Only HLA-A*02:01-positive patients were eligible, and the control arm consisted of
single-agent therapies.
""",
        "therapies": ["bispecific-t-cell-engagers"],
        "combinations": [],
        "change_summary": "First version.",
        "citations": [_cite["nathan2021"], _cite["hua2022"], _nct["NCT03070392"]],
    },
]


# Updates published after everything else, so that they reach content that links them: a
# change of key agents flags the combination entries and trial notes that cite the therapy
# for a re-check (the "needs re-check" demo).
_himalaya = {
    "kind": "nct",
    "value": "NCT03298451",
    "label": "HIMALAYA: tremelimumab plus durvalumab, durvalumab, or sorafenib in unresectable "
    "hepatocellular carcinoma. ClinicalTrials.gov record.",
}
LATER_UPDATES = [
    {
        "kind": "therapy",
        "slug": "anti-pd-1-pd-l1-antibodies",
        "version": {
            "regulatory_status": [
                {
                    "agent": "pembrolizumab",
                    "status": "approved",
                    "date": "2014",
                    "source": _cite["bioquick_nivolumab"]["value"],
                    "indication": "advanced melanoma (first approval; many indications since)",
                },
                {
                    "agent": "nivolumab",
                    "status": "approved",
                    "date": "2014-12-22",
                    "source": _cite["maestro_nivolumab"]["value"],
                    "indication": "unresectable or metastatic melanoma (first approval, granted "
                    "as an accelerated approval; many "
                    "indications since)",
                },
            ],
            "change_summary": "Approval status of each key agent, with its source.",
        },
    },
    {
        "kind": "therapy",
        "slug": "anti-ctla-4-antibodies",
        "version": {
            "body": _anti_ctla4_body.rstrip()
            + """

## A second anti-CTLA-4 antibody

Tremelimumab is also approved in the United States, given together with the anti-PD-L1
antibody durvalumab for unresectable hepatocellular carcinoma (liver cancer). The approval was
based on the randomised phase 3 HIMALAYA trial (NCT03298451).
""",
            "key_agents": ["ipilimumab", "tremelimumab"],
            "cancer_types": ["melanoma", "hepatocellular-carcinoma"],
            "regulatory_status": [
                {
                    "agent": "ipilimumab",
                    "status": "approved",
                    "date": "2011",
                    "source": _cite["biocentury_ipilimumab"]["value"],
                    "indication": "unresectable or metastatic melanoma (first approval)",
                },
                {
                    "agent": "tremelimumab",
                    "status": "approved",
                    "date": "2022-10-21",
                    "source": _cite["esmo_tremelimumab"]["value"],
                    "indication": "unresectable hepatocellular carcinoma, with durvalumab",
                },
            ],  # fmt: skip
            "change_summary": "Added tremelimumab (HIMALAYA, NCT03298451) to the key agents.",
            "citations": [_cite["hodi2010"], _cite["robert2015"], _cite["larkin2015"], _himalaya],
        },
    },
]


# ---------------------------------------------------------------------------------------------
# Corrections: published content found outdated or wrong, corrected through the workflow (a
# new version, reviewed by a second person) and marked "Corrected on <date>: <note>".
# ---------------------------------------------------------------------------------------------

_checkmate067 = next(entry for entry in TRIALS if entry["nct_id"] == "NCT01844505")

_gp100_il2_trial = next(entry for entry in TRIALS if entry["nct_id"] == "NCT00019682")
_gp100_il2_combination = next(
    entry for entry in COMBINATIONS if entry["slug"] == "gp100-vaccine-plus-high-dose-il-2"
)

_til_pd1 = next(entry for entry in COMBINATIONS if entry["slug"] == "til-plus-anti-pd-1")

_cart = next(entry for entry in THERAPIES if entry["slug"] == "car-t-cell-therapy")

_bispecific = next(entry for entry in THERAPIES if entry["slug"] == "bispecific-t-cell-engagers")
_BLINATUMOMAB_SOURCES = [
    "blinatumomab_full_approval",
    "targetedonc_blinatumomab",
    "fda_blinatumomab_2024",
]

_til = next(
    entry for entry in THERAPIES if entry["slug"] == "tumour-infiltrating-lymphocyte-therapy"
)

_tilvance = next(entry for entry in TRIALS if entry["nct_id"] == "NCT05727904")


def _status(agent: str, status: str, date: str, source: dict | str, indication: str) -> dict:
    """One regulatory-status row; `source` is a demo source (its identifier is used) or an
    identifier as the desk takes it."""
    if isinstance(source, dict):
        source = (
            source["value"] if source["kind"] == "url" else f"{source['kind']}:{source['value']}"
        )
    return {"agent": agent, "status": status, "date": date, "source": source,
            "indication": indication}  # fmt: skip


# Each row's date and source were checked against the source's page; dates are as precise
# as the source gives them.
REGULATORY_STATUS = {
    "oncolytic-virus-therapy": [
        _status(
            "talimogene laherparepvec",
            "approved",
            "2015-10-27",
            _cite["orloff2016"],
            "local treatment of melanoma lesions in the skin and lymph nodes",
        ),
    ],
    "tumour-infiltrating-lymphocyte-therapy": [
        _status(
            "lifileucel",
            "accelerated",
            "2024-02-16",
            _cite["ons_lifileucel"],
            "unresectable or metastatic melanoma after a PD-1 antibody",
        ),
        _status(
            "aldesleukin",
            "approved",
            "1998",
            _cite["atkins1999"],
            "metastatic melanoma (given after lifileucel)",
        ),
    ],
    "car-t-cell-therapy": [
        _status(
            "axicabtagene ciloleucel",
            "approved",
            "2017-10",
            _cite["blood2018_cart_review"],
            "large B-cell lymphoma after two or more lines of therapy",
        ),
        _status(
            "axicabtagene ciloleucel",
            "approved",
            "2022-04-01",
            _cite["lymphomahub_zuma7"],
            "large B-cell lymphoma refractory to, or relapsing within 12 months of, "
            "first-line chemoimmunotherapy",
        ),
        _status(
            "tisagenlecleucel",
            "approved",
            "2017-08-30",
            _cite["oncoprescribe_kymriah"],
            "B-cell precursor ALL up to 25 years of age, refractory or in second or later relapse",
        ),
        _status(
            "tisagenlecleucel",
            "approved",
            "2018-05",
            _cite["blood2018_cart_review"],
            "large B-cell lymphoma after two or more lines of therapy",
        ),
    ],
    "bispecific-t-cell-engagers": [
        _status(
            "blinatumomab",
            "approved",
            "2017-07-11",
            _cite["blinatumomab_full_approval"],
            "relapsed or refractory B-cell precursor ALL (full approval)",
        ),
        _status(
            "tebentafusp",
            "approved",
            "2022-01",
            _cite["bioworld_tebentafusp"],
            "HLA-A*02:01-positive unresectable or metastatic uveal melanoma",
        ),
    ],
    "cancer-vaccines": [
        _status(
            "sipuleucel-T",
            "approved",
            "2010-04",
            _cite["onclive_sipuleucel"],
            "metastatic castration-resistant prostate cancer",
        ),
        _status(
            "gp100 peptide vaccine",
            "investigational",
            "2026-11",
            _cite["schwartzentruber2011"],
            "melanoma (tested in phase 3 trials only)",
        ),
    ],
}

_PD1_CTLA4_OS = """## Overall survival (6.5-year report)

With a minimum follow-up of 6.5 years, median overall survival was 72.1 months with
nivolumab plus ipilimumab, 36.9 months with nivolumab and 19.9 months with ipilimumab
[@pmid:34818112].

"""
_pd1_ctla4 = next(entry for entry in COMBINATIONS if entry["slug"] == "anti-pd-1-plus-anti-ctla-4")

CORRECTIONS = [
    {
        "kind": "combination",
        "key": "anti-pd-1-plus-anti-ctla-4",
        "version": {
            "summary": "Blocking two separate T-cell brakes gave the longest progression-free "
            "and overall survival in CheckMate 067 in untreated advanced melanoma, with more "
            "severe side effects than either antibody alone.",
            "body": _pd1_ctla4["body"]
            .replace("## Caveats\n", _PD1_CTLA4_OS + "## Caveats\n")
            .replace(
                "## Caveats\n\n",
                "## Caveats\n\nThe results by tumour PD-L1 status are exploratory subgroup "
                "analyses.\n",
            ),
            "change_summary": "Added the 6.5-year overall-survival report (PMID 34818112); "
            "the PD-L1 subgroup results are labelled exploratory.",
            "citations": [*_pd1_ctla4["citations"], _cite["wolchok2022"]],
        },
        "correction": "This entry reported progression-free survival only; the trial's "
        "published overall-survival results have been added, and the PD-L1 subgroup results "
        "are now labelled exploratory.",
    },
    {
        "kind": "trial",
        "key": "NCT05727904",
        "version": {
            "overall_status": "",
            "body": _tilvance["body"].replace(
                "Recruiting; no results have been reported. Enrollment (670) is the planned "
                "figure.",
                "The recruitment status is left blank until it is checked against a current "
                "registry\nrecord; no results had been reported when this note was written. "
                "Enrollment (670) is the\nplanned figure.",
            ),
            "change_summary": "Recruitment status left blank until it is checked against the "
            "registry record.",
            "citations": _tilvance["citations"],
        },
        "correction": "The note gave the trial as recruiting, a status not checked against a "
        "current registry record; it is left blank until it is.",
    },
    {
        "kind": "therapy",
        "key": "tumour-infiltrating-lymphocyte-therapy",
        "version": {
            "body": _til["versions"][-1]["body"]
            .replace(
                """\
Lifileucel, a centrally manufactured TIL product, gave an objective response rate of 36% in
66 patients who had progressed after PD-1 or PD-L1 blockade in a phase 2 study
[@doi:10.1200/JCO.21.00612]. On
February 16, 2024,""",
                """\
Lifileucel is a centrally manufactured TIL product. In the cohort of the phase 2 C-144-01
study on which its approval rests (73 patients who had progressed after PD-1 blockade, treated
within the approved dose range), the objective response rate was 31.5%
[@url:https://jnccn360.org/advanced-skin-cancers/news/fda-grants-accelerated-approval-to-cellular-therapy-for-unresectable-or-metastatic-melanoma/];
an earlier report of 66 patients of the study gave 36% [@doi:10.1200/JCO.21.00612]. On
February 16, 2024,""",
            )
            .replace(
                """[@url:https://voice.ons.org/news-and-views/fda-grants-accelerated-approval-to-lifileucel-for-unresectable-or-metastatic].
""",
                """[@url:https://voice.ons.org/news-and-views/fda-grants-accelerated-approval-to-lifileucel-for-unresectable-or-metastatic].
An accelerated approval rests on the response rate: its continuation depends on a
confirmatory trial showing clinical benefit
[@url:https://friendsofcancerresearch.org/glossary-term/post-market-clinical-trials/].
""",
            ),
            "change_summary": "Lifileucel's response rate as labelled (31.5% in 73 patients) "
            "beside the earlier 36% in 66; its approval is accelerated and needs confirmation.",
            "citations": [
                *_til["versions"][-1]["citations"],
                _cite["jnccn_lifileucel"],
                _cite["focr_confirmatory"],
            ],
        },
        "correction": "The article gave lifileucel's early response rate (36% in 66 patients) "
        "next to its approval; the labelled figure is 31.5% in 73 patients, and continued "
        "approval depends on a confirmatory trial.",
    },
    {
        "kind": "therapy",
        "key": "bispecific-t-cell-engagers",
        "version": {
            "body": _bispecific["versions"][-1]["body"].replace(
                """Blinatumomab was
approved
by the US FDA in 2014 on the basis of single-arm trials
[@url:http://ashpublications.net/bloodadvances/article-split/5/2/602/475006/CAR-T-cells-better-than-BiTEs].
""",
                """Blinatumomab was
first approved by the US FDA in 2014, an accelerated approval on the basis of single-arm trials
[@url:http://ashpublications.net/bloodadvances/article-split/5/2/602/475006/CAR-T-cells-better-than-BiTEs].
TOWER converted it to a full approval in July 2017, which also covered Philadelphia
chromosome-positive disease
[@url:https://maestrodatabase.com/blog/fda-grants-full-approval-for-blincyto-blinatumomab-to-treat-relapsed-or-refractory-b-cell-precursor-acute-lymphoblastic-leukaemia-in-adults-and-children].
In March 2018 it received accelerated approval for B-cell precursor ALL in first or second
complete remission with measurable residual disease
[@url:https://seekingalpha.com/news/3342649-fda-oks-expanded-use-amgens-blincyto]
[@url:https://www.targetedonc.com/view/fda-expands-blinatumomab-approval-early-stage-cd19-b-all],
and in June 2024 as consolidation for CD19-positive, Philadelphia chromosome-negative B-cell
precursor ALL, whatever the residual-disease status
[@url:https://www.fda.gov/drugs/resources-information-approved-drugs/fda-approves-blinatumomab-consolidation-cd19-positive-philadelphia-chromosome-negative-b-cell].
""",
            ),
            "change_summary": "Blinatumomab's approvals brought up to date: full approval on "
            "TOWER (2017), remission with residual disease (2018), and consolidation (2024).",
            "citations": [
                *_bispecific["versions"][-1]["citations"],
                *(_cite[name] for name in _BLINATUMOMAB_SOURCES),
                _url(
                    "https://seekingalpha.com/news/3342649-fda-oks-expanded-use-amgens-blincyto",
                    "Seeking Alpha (March 29, 2018). FDA grants accelerated approval to Blincyto "
                    "for B-cell precursor ALL in remission with minimal residual disease.",
                ),
            ],
        },
        "correction": "The article gave blinatumomab's 2014 accelerated approval only; it "
        "became a full approval on TOWER in 2017, and its indications were extended in 2018 and "
        "2024.",
    },
    {
        "kind": "therapy",
        "key": "car-t-cell-therapy",
        "version": {
            "body": _cart_corrected(_cart["versions"][-1]["body"]),
            "change_summary": "Approvals brought up to date: axicabtagene ciloleucel in "
            "second-line large B-cell lymphoma since 2022, tisagenlecleucel's B-ALL indication "
            "as labelled; the 2024 boxed warning for T-cell malignancies and the 2025 removal "
            "of the REMS.",
            "citations": [
                *_cart["versions"][-1]["citations"],
                *(_cite[name] for name in _CART_SOURCES),
            ],
        },
        "correction": "The approvals were those of 2018: axicabtagene ciloleucel is also "
        "approved in second line since 2022, tisagenlecleucel's B-ALL indication is refractory "
        "or second or later relapse, and the 2024 boxed warning and 2025 REMS removal were "
        "missing.",
    },
    {
        "kind": "combination",
        "key": "til-plus-anti-pd-1",
        "version": {
            "body": _til_pd1["body"]
            .replace(
                "**Sequential use is supported by phase 3 data.**",
                "**TIL works after PD-1 blockade.**",
            )
            .replace(
                "3.1 months) [@pmid:36477031].",
                "3.1 months) [@pmid:36477031]. That trial compared TIL with ipilimumab: it\n"
                "  does not test giving TIL and PD-1 blockade in sequence against another\n"
                "  order or against the combination.",
            ),
            "summary": "Giving TIL therapy together with PD-1 blockade is investigational: "
            "early phase 2 cohorts only, with the randomised phase 3 TILVANCE-301 trial under "
            "way.",
            "change_summary": "The phase 3 trial is described as what it compared (TIL versus "
            "ipilimumab), not as evidence for sequential use.",
            "citations": _til_pd1["citations"],
        },
        "correction": "The entry said sequential use of TIL and PD-1 blockade was supported by "
        "phase 3 data; the phase 3 trial compared TIL with ipilimumab.",
    },
    {
        "kind": "combination",
        "key": "gp100-vaccine-plus-high-dose-il-2",
        "version": {
            "body": _gp100_il2_combination["body"].replace(
                """Median
overall survival was 17.8 versus 11.1 months; overall survival""",
                """Median
overall survival was 17.8 versus 11.1 months, a difference that was not statistically
significant (P=0.06); overall survival""",
            ),
            "change_summary": "Added that the overall-survival difference was not "
            "statistically significant (P=0.06).",
            "citations": _gp100_il2_combination["citations"],
        },
        "correction": "The overall-survival difference was given without saying that it was "
        "not statistically significant (P=0.06).",
    },
    {
        "kind": "trial",
        "key": "NCT00019682",
        "version": {
            "body": _gp100_il2_trial["body"].replace(
                "17.8 versus 11.1 months (overall survival was not",
                "17.8 versus 11.1 months, not statistically significant\n"
                "  (P=0.06; overall survival was not",
            ),
            "change_summary": "Added that the overall-survival difference was not "
            "statistically significant (P=0.06).",
            "citations": _gp100_il2_trial["citations"],
        },
        "correction": "The overall-survival difference was given without saying that it was "
        "not statistically significant (P=0.06).",
    },
    {
        "kind": "therapy",
        "key": "oncolytic-virus-therapy",
        "version": {
            "body": _oncolytic_body.replace(
                """skin and lymph nodes. The comparator in OPTiM""",
                """skin and lymph nodes. It has not been shown to improve overall survival or to
have an effect on visceral metastases [@pmid:28130800]. The comparator in OPTiM""",
            ),
            "change_summary": "Stated the limits of the approval: no overall-survival benefit "
            "shown, no effect on visceral metastases (PMID 28130800).",
            "citations": [_cite["andtbacka2015"], _cite["orloff2016"], _cite["fda_ovt2017"]],
        },
        "correction": "The article did not say that T-VEC has not been shown to improve "
        "overall survival or to have an effect on visceral metastases; it does now.",
    },
    {
        "kind": "trial",
        "key": "NCT01844505",
        "version": {
            "body": _checkmate067["body"].replace(
                """## Caveats

This note covers the first, progression-free survival report only. The combination's higher
toxicity has to be weighed against its efficacy for each patient.
""",
                """## Overall survival (6.5-year report)

With a minimum follow-up of 6.5 years, median overall survival was 72.1 months with
nivolumab plus ipilimumab, 36.9 months with nivolumab and 19.9 months with ipilimumab
[@pmid:34818112].

## Caveats

The results by tumour PD-L1 status are exploratory subgroup analyses. The combination's
higher toxicity has to be weighed against its efficacy for each patient.
""",
            ),
            "change_summary": "Added the 6.5-year overall-survival report (PMID 34818112); "
            "the PD-L1 subgroup results are labelled exploratory.",
            "citations": [*_checkmate067["citations"], _cite["wolchok2022"]],
        },
        "correction": "This note reported progression-free survival only; the trial's "
        "published overall-survival results have been added, and the PD-L1 subgroup results "
        "are now labelled exploratory.",
    },
]

# The approval-status tables go with the corrections of the articles they belong to; the
# vaccines article gets its own: its evidence level (approved standard of care, which
# sipuleucel-T earns) read as if every agent it names were approved.
_vaccines = next(entry for entry in THERAPIES if entry["slug"] == "cancer-vaccines")
CORRECTIONS.append({
    "kind": "therapy",
    "key": "cancer-vaccines",
    "version": {
        "change_summary": "Approval status of each agent: sipuleucel-T approved, the gp100 "
        "peptide vaccine investigational.",
        "citations": _vaccines["versions"][-1]["citations"],
    },
    "correction": "The article's evidence level (approved standard of care) could be read as "
    "covering every agent it names; the gp100 peptide vaccine is investigational, as the "
    "approval-status table now says.",
})  # fmt: skip
for _entry in CORRECTIONS:
    if _entry["kind"] == "therapy" and _entry["key"] in REGULATORY_STATUS:
        _entry["version"]["regulatory_status"] = REGULATORY_STATUS[_entry["key"]]


# ---------------------------------------------------------------------------------------------
# Coverage a reader expects (issue 16): anti-PD-L1, LAG-3, BCMA CAR-T, bispecific engagers
# beyond leukaemia and uveal melanoma, intravesical BCG, personalised mRNA neoantigen
# therapies, the IL-15 superagonist and chemo-immunotherapy in lung cancer. Every figure,
# date and identifier below was read on the source cited for it (PubMed or PMC records and
# their mirrors, journal or society pages, FDA pages or dated reports of FDA notices); where
# a paper's PubMed ID could not be seen, its DOI or the page that reproduces its abstract is
# cited instead. Where the paper and the FDA review report different populations, the text
# says which one a figure comes from.
# ---------------------------------------------------------------------------------------------


CANCER_TYPES += [
    ("small-cell-lung-cancer", "Small-cell lung cancer"),
    ("multiple-myeloma", "Multiple myeloma"),
    ("follicular-lymphoma", "Follicular lymphoma"),
    ("bladder-cancer", "Bladder (urothelial) cancer"),
    ("merkel-cell-carcinoma", "Merkel cell carcinoma"),
    ("pancreatic-cancer", "Pancreatic cancer"),
]

_FDA_WITHDRAWN = _url(
    "https://www.fda.gov/drugs/resources-information-approved-drugs/"
    "withdrawn-cancer-accelerated-approvals",
    "US FDA. Withdrawn | Cancer accelerated approvals (list of oncology accelerated approvals "
    "later withdrawn, with approval and withdrawal dates; as archived in 2021).",
)

_src = {
    # LAG-3
    "tawbi2022": _paper(
        "pmid",
        "34986285",
        "Tawbi HA, et al. Relatlimab and nivolumab versus "
        "nivolumab in untreated advanced melanoma. N Engl J Med. "
        "2022;386(1):24-34.",
    ),
    "long2023": _paper(
        "doi",
        "10.1056/EVIDoa2200239",
        "Long GV, et al. Overall survival and "
        "response with nivolumab and relatlimab in advanced melanoma. NEJM Evid. "
        "2023.",
    ),
    "tawbi2025": _paper(
        "pmid",
        "39671533",
        "Tawbi HA, et al. Three-year overall survival with "
        "nivolumab plus relatlimab in advanced melanoma from RELATIVITY-047. "
        "J Clin Oncol. 2025;43(13):1546-1552.",
    ),
    "opdualag_approval": _url(
        "https://biopharminternational.com/view/"
        "fda-approves-opdualag-for-unresectable-or-metastatic-melanoma",
        "BioPharm International. FDA approves Opdualag for unresectable or metastatic melanoma "
        "(approval of March 18, 2022).",
    ),
    "opdualag_bms": _url(
        "https://pipelinereview.com/u-s-food-and-drug-administration-approves-first-lag-3-"
        "blocking-antibody-combination-opdualag-nivolumab-and-relatlimab-rmbw-as-treatment-"
        "for-patients-with-unresectable-or-metastatic-melanoma/",
        "Bristol Myers Squibb announcement of the Opdualag approval (March 18, 2022), with the "
        "RELATIVITY-047 safety results.",
    ),
    # Chemo-immunotherapy in lung cancer
    "garassino2023": _paper(
        "pmid",
        "36809080",
        "Garassino MC, et al. Pembrolizumab plus "
        "pemetrexed and platinum in nonsquamous non-small-cell lung cancer: "
        "5-year outcomes from the phase 3 KEYNOTE-189 study. J Clin Oncol. "
        "2023;41(11):1992-1998.",
    ),
    "pazares2018": _paper(
        "doi",
        "10.1056/NEJMoa1810865",
        "Paz-Ares L, et al. Pembrolizumab "
        "plus chemotherapy for squamous non-small-cell lung cancer. N Engl J "
        "Med. 2018;379(21):2040-2051.",
    ),
    "pembro_chemo_2017": _url(
        "https://letswinpc.org/newsfeed/2017/05/16/fda-approves-pembrolizumab-first-line-"
        "combination-therapy-pemetrexed-carboplatin-metastatic-nonsquamous-nsclc/",
        "Let's Win. FDA approves pembrolizumab first-line combination therapy with pemetrexed "
        "and carboplatin for metastatic nonsquamous NSCLC (May 2017; accelerated approval).",
    ),
    "keynote021_basis": _url(
        "https://e-syllabus.gotoper.com/publications/ajho/2017/2017july/"
        "frontline-immunotherapy-in-non-small-cell-lung-cancer-for-which-patients-is-platinum-"
        "passe",
        "American Journal of Hematology/Oncology (July 2017). Frontline immunotherapy in "
        "non-small cell lung cancer: for which patients is platinum passé?",
    ),
    "pembro_chemo_2018": _url(
        "https://www.onclive.com/web-exclusives/"
        "fda-grants-full-approval-to-pembrolizumab-plus-chemo-for-nsclc",
        "OncLive. FDA grants full approval to pembrolizumab plus chemo for NSCLC (August 20, "
        "2018).",
    ),
    "pembro_squamous_2018": _url(
        "https://www.onclive.com/web-exclusives/"
        "fda-approves-frontline-pembrolizumab-regimen-for-squamous-nsclc",
        "OncLive. FDA approves frontline pembrolizumab regimen for squamous NSCLC (October 30, "
        "2018).",
    ),
    # Anti-PD-L1
    "antonia2017": _paper(
        "doi",
        "10.1056/NEJMoa1709937",
        "Antonia SJ, et al. Durvalumab "
        "after chemoradiotherapy in stage III non-small-cell lung cancer. "
        "N Engl J Med. 2017.",
    ),
    "antonia2018": _paper(
        "pmid",
        "30280658",
        "Antonia SJ, et al. Overall survival with "
        "durvalumab after chemoradiotherapy in stage III NSCLC. N Engl J Med. "
        "2018;379(24):2342-2350.",
    ),
    "pacific_safety": _url(
        "https://www.empr.com/news/durvalumab-unresectable-non-small-cell-lung-cancer-overall-"
        "survival/article/810728/",
        "MPR (HealthDay). Durvalumab in unresectable non-small-cell lung cancer: overall "
        "survival (report of the 2018 PACIFIC analysis).",
    ),
    "rittmeyer2017": _paper(
        "pmid",
        "27979383",
        "Rittmeyer A, et al. Atezolizumab versus "
        "docetaxel in patients with previously treated non-small-cell lung "
        "cancer (OAK): a phase 3, open-label, multicentre randomised "
        "controlled trial. Lancet. 2017;389(10066):255-265.",
    ),
    "horn2018": _paper(
        "doi",
        "10.1056/NEJMoa1809064",
        "Horn L, et al. First-line "
        "atezolizumab plus chemotherapy in extensive-stage small-cell lung "
        "cancer. N Engl J Med. 2018;379(23):2220-2229.",
    ),
    "powles2020": _url(
        "https://www.docwirenews.com/abstracts/hem-onc-abstracts/"
        "avelumab-maintenance-therapy-for-advanced-or-metastatic-urothelial-carcinoma/",
        "Powles T, et al. Avelumab maintenance therapy for advanced or metastatic urothelial "
        "carcinoma. N Engl J Med. 2020 (abstract as reproduced by DocWire News).",
    ),
    "powles2023": _paper(
        "pmid",
        "37071838",
        "Powles T, et al. Avelumab first-line maintenance "
        "for advanced urothelial carcinoma: results from the JAVELIN Bladder "
        "100 trial after ≥2 years of follow-up. J Clin Oncol. "
        "2023;41(19):3486-3492.",
    ),
    "dangelo2020": _paper(
        "pmid",
        "32414862",
        "D'Angelo SP, et al. Long-term data from the "
        "JAVELIN Merkel 200 trial of avelumab in chemotherapy-refractory "
        "metastatic Merkel cell carcinoma. J Immunother Cancer. "
        "2020;8(1):e000674.",
    ),
    "atezolizumab_first": _url(
        "https://www.gene.com/media/news-features/"
        "fda-approves-new-immunotherapy-medicine-for-specific-type-of-advanced-bladder-cancer",
        "Genentech. FDA approves new immunotherapy medicine for specific type of advanced "
        "bladder cancer (May 18, 2016; accelerated approval of atezolizumab).",
    ),
    "atezolizumab_uc_withdrawn": _url(
        "https://maestrodatabase.com/blog/"
        "genentech-provides-update-on-tecentriq-u-dot-s-indication-in-prior-platinum-treated-"
        "metastatic-bladder-cancer",
        "Genentech announcement (March 7, 2021), via MAESTRO: voluntary withdrawal of the US "
        "indication of atezolizumab in prior-platinum-treated metastatic urothelial carcinoma.",
    ),
    "atezolizumab_1l_uc_withdrawn": _url(
        "https://www.1stoncology.com/blog/genentech-provides-update-on-tecentriq-u-s-indication-"
        "for-previously-untreated-metastatic-bladder-cancer1234634770",
        "Genentech announcement (November 28, 2022), via 1stOncology: voluntary withdrawal of "
        "the US indication of atezolizumab in previously untreated metastatic urothelial "
        "carcinoma.",
    ),
    "durvalumab_danube": _url(
        "https://www.thepharmaletter.com/biotechnology/"
        "imfinzi-trial-failure-prompts-withdrawal-of-indication-in-usa",
        "The Pharma Letter. Imfinzi trial failure prompts withdrawal of indication in USA "
        "(February 22, 2021).",
    ),
    # BCMA CAR-T
    "berdeja2021": _paper(
        "pmid",
        "34175021",
        "Berdeja JG, et al. Ciltacabtagene autoleucel, a "
        "B-cell maturation antigen-directed chimeric antigen receptor T-cell "
        "therapy in patients with relapsed or refractory multiple myeloma "
        "(CARTITUDE-1): a phase 1b/2 open-label study. Lancet. 2021.",
    ),
    "sanmiguel2023": _paper(
        "doi",
        "10.1056/NEJMoa2303379",
        "San-Miguel J, et al. Cilta-cel or "
        "standard care in lenalidomide-refractory multiple myeloma. N Engl J "
        "Med. 2023;389:335-347.",
    ),
    "karmma3_design": _url(
        "http://ashpublications.net/blood/article/144/23/2367/526304/"
        "Moving-forward-in-good-KarMMa-in-myeloma",
        "Blood. 2024;144(23):2367. Moving forward in good KarMMa in myeloma (commentary on "
        "KarMMa-3).",
    ),
    "ailawadhi2024": _url(
        "http://ashpublications.net/blood/article-abstract/144/23/2389/517598/"
        "Ide-cel-vs-standard-regimens-in-triple-class",
        "Ailawadhi S, et al. Ide-cel vs standard regimens in triple-class-exposed relapsed and "
        "refractory multiple myeloma: updated KarMMa-3 analyses. Blood. 2024;144(23):2389.",
    ),
    "idecel_first": _url(
        "https://www.drugs.com/history/abecma.html",
        "Drugs.com. Abecma (idecabtagene vicleucel) FDA approval history (first approved March "
        "26, 2021).",
    ),
    "idecel_2024": _url(
        "https://www.medthority.com/news/2024/4/fda-approves-abecma-idecabtagene-vicleucel-ide-"
        "cel-for-triple-class-exposed-relapsed-or-refractory-multiple-myeloma-after-two-prior-"
        "lines-of-therapy.-bms--2seventy-bio-inc",
        "Medthority. FDA approves Abecma for triple-class-exposed relapsed or refractory "
        "multiple myeloma after two prior lines of therapy (April 4, 2024).",
    ),
    "ciltacel_first": _url(
        "https://fda.gov/drugs/resources-information-approved-drugs/fda-disco-burst-edition-"
        "fda-approval-carvykti-ciltacabtagene-autoleucel-treatment-adult-patients",
        "US FDA. FDA D.I.S.C.O. Burst Edition: FDA approval of Carvykti (ciltacabtagene "
        "autoleucel) (February 28, 2022).",
    ),
    "ciltacel_2024": _url(
        "https://pipelinereview.com/legend-biotechs-carvykti-ciltacabtagene-autoleucel-becomes-"
        "the-first-and-only-bcma-targeted-car-t-cell-therapy-approved-by-the-fda-for-second-"
        "line-treatment-of-multiple-myeloma/",
        "Legend Biotech announcement (April 5, 2024): Carvykti approved by the FDA for "
        "second-line treatment of multiple myeloma.",
    ),
    # Bispecific engagers in myeloma, lymphoma and small-cell lung cancer
    "moreau2022": _paper(
        "pmid",
        "35661166",
        "Moreau P, et al. Teclistamab in relapsed or "
        "refractory multiple myeloma. N Engl J Med. 2022;387(6):495-505.",
    ),
    "teclistamab_fda": _paper(
        "pmid",
        "39412823",
        "FDA approval summary: teclistamab-cqyv for "
        "relapsed or refractory multiple myeloma. Clin Cancer Res. 2024.",
    ),
    "lesokhin2023": _url(
        "https://hoparx.org/latest-news/"
        "elranatamab-in-relapsed-or-refractory-multiple-myeloma-phase-2-magnetismm-3-trial-"
        "results",
        "Lesokhin AM, et al. Elranatamab in relapsed or refractory multiple myeloma: phase 2 "
        "MagnetisMM-3 trial results. Nat Med. 2023 (abstract as reproduced by HOPA).",
    ),
    "elranatamab_fda": _url(
        "https://ascopost.com/issues/october-10-2023/accelerated-approval-granted-for-use-of-"
        "elranatamab-bcmm-in-relapsed-or-refractory-multiple-myeloma",
        "The ASCO Post. Accelerated approval granted for use of elranatamab-bcmm in relapsed "
        "or refractory multiple myeloma (approval of August 14, 2023).",
    ),
    "talquetamab_esmo": _url(
        "https://esmo.org/oncology-news/talquetamab-continuous-to-demonstrate-high-overall-"
        "response-rates-in-heavily-pretreated-patients-with-relapsed-or-refractory-multiple-"
        "myeloma",
        "ESMO Oncology News. Talquetamab continues to demonstrate high overall response rates "
        "in heavily pretreated patients with relapsed or refractory multiple myeloma "
        "(MonumenTAL-1).",
    ),
    "talquetamab_fda": _url(
        "https://ascopost.com/news/august-2023/fda-grants-accelerated-approval-to-talquetamab-"
        "tgvs-for-treatment-of-relapsed-or-refractory-multiple-myeloma/",
        "The ASCO Post. FDA grants accelerated approval to talquetamab-tgvs for relapsed or "
        "refractory multiple myeloma (August 9, 2023).",
    ),
    "mosunetuzumab_fl": _url(
        "https://bloodcancerstoday.com/post/fda-approves-mosunetuzumab-axgb-for-follicular-"
        "lymphoma",
        "Blood Cancers Today. FDA approves mosunetuzumab-axgb for follicular lymphoma "
        "(results of the pivotal phase 2 study).",
    ),
    "mosunetuzumab_fda": _url(
        "https://www.gene.com/media/news-features/fda-approves-genentechs-first-in-class-"
        "medicine-for-relapsed-refractory-follicular-lymphoma-after-at-least-two-prior-"
        "therapies",
        "Genentech. FDA approves Lunsumio for relapsed or refractory follicular lymphoma after "
        "at least two prior therapies (December 22, 2022; accelerated approval).",
    ),
    "dickinson2022": _url(
        "https://www.themednet.org/publications/"
        "glofitamab-for-relapsed-or-refractory-diffuse-large-b-cell-lymphoma",
        "Dickinson MJ, et al. Glofitamab for relapsed or refractory diffuse large B-cell "
        "lymphoma. N Engl J Med. 2022;387(24):2220-2231 (abstract as reproduced by theMednet).",
    ),
    "glofitamab_starglo": _url(
        "https://www.indianpharmapost.com/diagnostic-center/lite/roche-updates-on-sbla-for-"
        "columvi-combination-for-people-with-relapsed-or-refractory-diffuse-large-b-cell-"
        "lymphoma-17442",
        "Roche update (July 2025), via Indian Pharma Post: the FDA's complete response letter "
        "for glofitamab with gemcitabine and oxaliplatin (STARGLO); glofitamab remains under "
        "accelerated approval.",
    ),
    "glofitamab_fda": _url(
        "https://esmo.org/oncology-news/fda-grants-accelerated-approval-to-glofitamab-gxbm-for-"
        "selected-relapsed-or-refractory-large-b-cell-lymphomas",
        "ESMO Oncology News. FDA grants accelerated approval to glofitamab-gxbm for selected "
        "relapsed or refractory large B-cell lymphomas (June 15, 2023).",
    ),
    "thieblemont2024": _paper(
        "pmid",
        "39322711",
        "Thieblemont C, et al. Epcoritamab in "
        "relapsed/refractory large B-cell lymphoma: 2-year follow-up from "
        "the pivotal EPCORE NHL-1 trial. Leukemia. 2024;38(12):2653-2662.",
    ),
    "epcoritamab_fda": _url(
        "https://www.cancerhealth.com/blog/fda-approves-epkinly-advanced-bcell-lymphoma",
        "Cancer Health. FDA approves Epkinly for advanced B-cell lymphoma (US FDA notice of "
        "May 19, 2023; accelerated approval).",
    ),
    "epcoritamab_fl_fda": _url(
        "https://www.fda.gov/drugs/resources-information-approved-drugs/fda-grants-"
        "accelerated-approval-epcoritamab-bysp-relapsed-or-refractory-follicular-lymphoma",
        "US FDA. FDA grants accelerated approval to epcoritamab-bysp for relapsed or refractory "
        "follicular lymphoma (June 26, 2024).",
    ),
    "ahn2023": _url(
        "https://kris.kl.ac.at/de/publications/"
        "tarlatamab-for-patients-with-previously-treated-small-cell-lung-c",
        "Ahn MJ, et al. Tarlatamab for patients with previously treated small-cell lung "
        "cancer. N Engl J Med. 2023;389(22):2063-2075 (record with abstract, Karl Landsteiner "
        "University).",
    ),
    "mountzios2025": _url(
        "https://synapse.mskcc.org/synapse/works/228140",
        "Mountzios G, et al. Tarlatamab in small-cell lung cancer after platinum-based "
        "chemotherapy. N Engl J Med. 2025;393:349-361 (record with abstract, Memorial Sloan "
        "Kettering).",
    ),
    "tarlatamab_accelerated": _url(
        "https://aacrjournals.org/cdnews/news/1483/DLL3-Targeting-Drug-Now-an-Option-for-SCLC",
        "Cancer Discovery News (AACR). DLL3-targeting drug now an option for SCLC (accelerated "
        "approval of May 16, 2024).",
    ),
    "tarlatamab_regular": _url(
        "https://ascopost.com/news/november-2025/traditional-approval-granted-to-tarlatamab-"
        "dlle-for-extensive-stage-sclc",
        "The ASCO Post. Traditional approval granted to tarlatamab-dlle for extensive-stage "
        "SCLC (November 19, 2025).",
    ),
    # Intravesical BCG and nogapendekin alfa
    "sylvester2002": _paper(
        "pmid",
        "12394686",
        "Sylvester RJ, van der Meijden APM, Lamm DL. "
        "Intravesical bacillus Calmette-Guerin reduces the risk of "
        "progression in patients with superficial bladder cancer: a "
        "meta-analysis of the published results of randomized clinical "
        "trials. J Urol. 2002;168(5):1964-1970.",
    ),
    "bcg_recurrence_review": _url(
        "https://www.scilit.net/publications/c79d7a11f8a7ee00065dc784628ad8b9",
        "A systematic review of intravesical bacillus Calmette-Guérin plus transurethral "
        "resection vs transurethral resection alone in Ta and T1 bladder cancer (record at "
        "Scilit).",
    ),
    "bcg_approval": _url(
        "https://www.cancernetwork.com/view/bcg-immunotherapy-transitional-cell-carcinoma-situ-"
        "bladder",
        "ONCOLOGY. BCG immunotherapy for transitional-cell carcinoma in situ of the bladder "
        "(1995).",
    ),
    "anktiva_fda": _url(
        "https://esmo.org/oncology-news/fda-approves-nogapendekin-alfa-inbakicept-pmln-for-bcg-"
        "unresponsive-non-muscle-invasive-bladder-cancer",
        "ESMO Oncology News. FDA approves nogapendekin alfa inbakicept-pmln for BCG-unresponsive "
        "non-muscle invasive bladder cancer (April 22, 2024).",
    ),
    "chamie2023": _paper(
        "doi",
        "10.1056/EVIDoa2200167",
        "Chamie K, et al. IL-15 superagonist "
        "NAI in BCG-unresponsive non-muscle-invasive bladder cancer. NEJM Evid. "
        "2023;2(1):EVIDoa2200167.",
    ),
    "il15_review": _paper(
        "doi",
        "10.1186/s13045-025-01664-8",
        "Li Z, Wrangle J, He K, Sprent "
        "J, Rubinstein MP. IL-15: from discovery to FDA approval. J Hematol "
        "Oncol. 2025.",
    ),
    "intron_a_1995": _url(
        "https://www.curemelanoma.org/about-melanoma/melanoma-treatment/adjuvant-therapy/"
        "interferon-intron-a-or-sylatron/",
        "Melanoma Research Alliance. Interferon (Intron A or Sylatron): adjuvant therapy for "
        "melanoma.",
    ),
    # Personalised mRNA neoantigen therapies
    "weber2024": _url(
        "https://ascopost.com/news/january-2024/adjuvant-treatment-of-resected-melanoma-mrna-"
        "based-personalized-therapy-plus-immunotherapy",
        "The ASCO Post. Adjuvant treatment of resected melanoma: mRNA-based personalized "
        "therapy plus immunotherapy (report of Weber JS, et al. Lancet. 2024; KEYNOTE-942).",
    ),
    "interpath001": _url(
        "https://prep.medthority.com/news/2023/12/interpath-002-a-phase-iii-study-evaluating-v-"
        "940-mrna-4157---keytruda-pembrolizumab-for-adjuvant-treatment-of-patients-with-"
        "certain-types-of-resected-non-small-cell-lung-cancer--merck-inc.--moderna-inc",
        "Merck and Moderna announcement (December 2023), via Medthority: the INTerpath phase 3 "
        "programme of V940 (mRNA-4157) with pembrolizumab.",
    ),
    "moderna_2025": _url(
        "https://www.financetom.com/business/moderna-says-individualized-neoantigen-therapy-on-"
        "track-for-2027-potential-approval-345946.htm",
        "Report of March 5, 2025: Moderna expects potential approval of its individualized "
        "neoantigen therapy by 2027.",
    ),
    "rojas2023": _paper(
        "doi",
        "10.1038/s41586-023-06063-y",
        "Rojas LA, et al. Personalized "
        "RNA neoantigen vaccines stimulate T cells in pancreatic cancer. Nature. "
        "2023.",
    ),
}
_cite.update(_src)

_lag3_body = """## How it works

LAG-3 (lymphocyte-activation gene 3) and PD-1 are distinct inhibitory checkpoints that
contribute to T-cell exhaustion. Relatlimab is an antibody that blocks LAG-3. It is given with
the PD-1 antibody nivolumab as one fixed-dose infusion (Opdualag), so that both brakes are
released at once [@pmid:34986285]. PD-1 blockade alone is described in
[Anti-PD-1 antibodies](/therapies/anti-pd-1-pd-l1-antibodies/).

## Evidence: RELATIVITY-047

In the double-blind phase 2-3 trial RELATIVITY-047 [@nct:NCT03470922], 714 patients with
previously untreated unresectable or metastatic melanoma received relatlimab plus nivolumab
(355 patients) or nivolumab alone (359). The primary endpoint was progression-free survival
assessed by blinded independent central review [@pmid:34986285].

- **Progression-free survival (primary analysis):** median 10.1 versus 4.6 months (hazard
  ratio for progression or death 0.75; P=0.006) [@pmid:34986285].
- **Overall survival:** in the trial's formal analysis the difference was not statistically
  significant (hazard ratio 0.80; P=0.059, against a prespecified threshold of P≤0.043)
  [@doi:10.1056/EVIDoa2200239].
- **Three-year update (descriptive):** median overall survival 51.0 versus 34.1 months (hazard
  ratio 0.80), and response rate 43.7% versus 33.7% [@pmid:39671533].
- **Side effects:** grade 3 or 4 drug-related adverse events occurred in 18.9% of patients
  with the combination and 9.7% with nivolumab alone
  [@url:https://pipelinereview.com/u-s-food-and-drug-administration-approves-first-lag-3-blocking-antibody-combination-opdualag-nivolumab-and-relatlimab-rmbw-as-treatment-for-patients-with-unresectable-or-metastatic-melanoma/].

## Approval

The US FDA approved nivolumab with relatlimab on 18 March 2022 for adults and children aged
12 years or older with unresectable or metastatic melanoma
[@url:https://biopharminternational.com/view/fda-approves-opdualag-for-unresectable-or-metastatic-melanoma].

## Caveats

The comparator in RELATIVITY-047 was nivolumab alone; the trial did not include nivolumab
plus ipilimumab ([PD-1 plus CTLA-4 blockade](/combinations/anti-pd-1-plus-anti-ctla-4/)), so
it does not show which of the two combinations suits which patient.
"""

_pdl1_body = """## How it works

PD-L1 is the molecule on tumour and immune cells that engages PD-1 on T cells and switches
them off. Anti-PD-L1 antibodies block the same pathway as PD-1 antibodies, from the tumour's
side (see [Anti-PD-1 antibodies](/therapies/anti-pd-1-pd-l1-antibodies/)).
This article covers atezolizumab, durvalumab and avelumab.

## Durvalumab after chemoradiotherapy: PACIFIC

In PACIFIC, 713 patients with unresectable stage III non-small-cell lung cancer whose disease
had not progressed after platinum-based chemoradiotherapy were randomly assigned 2:1 to
durvalumab or placebo for up to 12 months [@doi:10.1056/NEJMoa1709937].

- Median progression-free survival was 16.8 versus 5.6 months (hazard ratio 0.52)
  [@doi:10.1056/NEJMoa1709937].
- Overall survival at 24 months was 66.3% versus 55.6% (hazard ratio for death 0.68)
  [@pmid:30280658].

## Atezolizumab in lung cancer

- **OAK** (previously treated non-small-cell lung cancer): in the primary analysis of the first
  850 patients, median overall survival was 13.8 months with atezolizumab versus 9.6 months
  with docetaxel (hazard ratio 0.73). Survival was also longer when tumours had low or
  undetectable PD-L1 (12.6 versus 8.9 months; hazard ratio 0.75) [@pmid:27979383].
- **IMpower133** (untreated extensive-stage small-cell lung cancer): in 403 patients, adding
  atezolizumab to carboplatin and etoposide lengthened median overall survival from 10.3 to
  12.3 months (hazard ratio 0.70) [@doi:10.1056/NEJMoa1809064].

## Avelumab

- **JAVELIN Bladder 100** (advanced urothelial carcinoma that had not progressed on first-line
  platinum chemotherapy): maintenance avelumab with best supportive care, compared with best
  supportive care alone, lengthened median overall survival from 14.3 to 21.4 months (hazard
  ratio 0.69)
  [@url:https://www.docwirenews.com/abstracts/hem-onc-abstracts/avelumab-maintenance-therapy-for-advanced-or-metastatic-urothelial-carcinoma/].
  After at least 2 years of follow-up the hazard ratio was 0.76 [@pmid:37071838].
- **JAVELIN Merkel 200** (metastatic Merkel cell carcinoma after chemotherapy; a single-arm
  phase 2 trial): of 88 patients, 33.0% responded and 11.4% had a complete response; the
  median duration of response was 40.5 months [@pmid:32414862].

## Side effects

Side effects are immune-related, as with PD-1 antibodies. In PACIFIC, grade 3 or 4 adverse
events of any cause occurred in 30.5% of patients with durvalumab and 26.1% with placebo
[@url:https://www.empr.com/news/durvalumab-unresectable-non-small-cell-lung-cancer-overall-survival/article/810728/].

## Accelerated approvals that were withdrawn

An accelerated approval lasts only while the confirmatory trial bears it out. Four anti-PD-L1
indications did not last:

- durvalumab in previously treated urothelial carcinoma: approved on 1 May 2017, withdrawn on
  19 February 2021 [@url:https://www.fda.gov/drugs/resources-information-approved-drugs/withdrawn-cancer-accelerated-approvals],
  after its confirmatory trial DANUBE did not meet its primary endpoints
  [@url:https://www.thepharmaletter.com/biotechnology/imfinzi-trial-failure-prompts-withdrawal-of-indication-in-usa];
- atezolizumab with nab-paclitaxel in PD-L1-positive triple-negative breast cancer: approved on
  8 March 2019, withdrawn on 6 October 2021 [@url:https://www.fda.gov/drugs/resources-information-approved-drugs/withdrawn-cancer-accelerated-approvals];
- atezolizumab in urothelial carcinoma after platinum chemotherapy, its first approval (May
  2016)
  [@url:https://www.gene.com/media/news-features/fda-approves-new-immunotherapy-medicine-for-specific-type-of-advanced-bladder-cancer]:
  the company withdrew the indication in March 2021
  [@url:https://maestrodatabase.com/blog/genentech-provides-update-on-tecentriq-u-dot-s-indication-in-prior-platinum-treated-metastatic-bladder-cancer];
- atezolizumab as first treatment for urothelial carcinoma in patients who cannot receive
  cisplatin (accelerated approval in 2017): the company withdrew the indication in November
  2022, after its confirmatory trial IMvigor130 did not meet its overall-survival endpoint
  [@url:https://www.1stoncology.com/blog/genentech-provides-update-on-tecentriq-u-s-indication-for-previously-untreated-metastatic-bladder-cancer1234634770].
"""

_bcma_cart_body = """## How it works

B-cell maturation antigen (BCMA) is a protein on the surface of myeloma cells. In
BCMA-directed CAR-T therapy, the patient's own T cells are engineered to recognise BCMA and
given back as one infusion after lymphodepleting chemotherapy with cyclophosphamide and
fludarabine
[@url:https://aacrjournals.org/clincancerres/article-abstract/28/9/1759/694446/FDA-Approval-Summary-Idecabtagene-Vicleucel-for].
The CD19-directed products used in lymphoma and leukaemia are described in
[CAR-T cell therapy](/therapies/car-t-cell-therapy/).

## After four or more lines of therapy

- **Idecabtagene vicleucel** ([KarMMa](/trials/NCT03361748/)): in the 100 patients the FDA
  evaluated for efficacy, the overall response rate was 72% and the stringent complete
  response rate 28%
  [@url:https://aacrjournals.org/clincancerres/article-abstract/28/9/1759/694446/FDA-Approval-Summary-Idecabtagene-Vicleucel-for].
- **Ciltacabtagene autoleucel** (CARTITUDE-1): of 97 patients who received it, 94 (97%)
  responded and 65 (67%) had a stringent complete response [@pmid:34175021].

Both were single-arm trials in heavily pretreated myeloma.

## Earlier in the disease: randomised trials

- **KarMMa-3**: 386 patients with triple-class-exposed myeloma after two to four regimens were
  randomly assigned to idecabtagene vicleucel or one of five standard regimens
  [@url:http://ashpublications.net/blood/article/144/23/2367/526304/Moving-forward-in-good-KarMMa-in-myeloma].
  In the final progression-free survival analysis, the median was 13.8 versus 4.4 months
  (hazard ratio 0.49). An interim analysis of overall survival, confounded by patients
  crossing over from the standard regimens, showed no difference (hazard ratio 1.01)
  [@url:http://ashpublications.net/blood/article-abstract/144/23/2389/517598/Ide-cel-vs-standard-regimens-in-triple-class].
- **CARTITUDE-4**: 419 patients with lenalidomide-refractory myeloma were randomly assigned to
  ciltacabtagene autoleucel (208) or standard care (211). Median progression-free survival was
  not reached with cilta-cel and 11.8 months with standard care (hazard ratio 0.26)
  [@doi:10.1056/NEJMoa2303379].

## Side effects

Cytokine release syndrome and neurologic toxicity are the main early risks. In the 127 KarMMa
patients evaluated for safety, grade 3 or higher cytokine release syndrome occurred in 9% and
grade 3 or higher neurologic toxicity in 4%
[@url:https://aacrjournals.org/clincancerres/article-abstract/28/9/1759/694446/FDA-Approval-Summary-Idecabtagene-Vicleucel-for].
Since April 2024, the US labels of BCMA- and CD19-directed autologous CAR-T products carry a
boxed warning for T-cell malignancies
[@url:https://www.fda.gov/vaccines-blood-biologics/safety-availability-biologics/fda-requires-boxed-warning-t-cell-malignancies-following-treatment-bcma-directed-or-cd19-directed].
In June 2025 the FDA removed the risk evaluation and mitigation strategies (REMS) of these
products
[@url:https://www.fda.gov/news-events/press-announcements/fda-eliminates-risk-evaluation-and-mitigation-strategies-rems-autologous-chimeric-antigen-receptor].
"""

_bispecific_more_body = """## How they work

These antibodies have two arms: one binds CD3 on T cells, the other a protein on the cancer
cell: BCMA or GPRC5D on myeloma cells, CD20 on B-cell lymphoma cells, or DLL3 on small-cell
lung cancer cells. They bring T cells into contact with cancer cells without engineering any
cells, so they are ready to give, as repeated injections or infusions. The first of the class,
blinatumomab and tebentafusp, are described in
[Bispecific T-cell engagers](/therapies/bispecific-t-cell-engagers/).

## Multiple myeloma

- **Teclistamab** (BCMA): in MajesTEC-1, 165 patients with relapsed or refractory myeloma
  received it; the overall response rate was 63.0%, with a complete response or better in
  39.4% [@pmid:35661166].
- **Elranatamab** (BCMA): in MagnetisMM-3, 61.0% of 123 patients without previous
  BCMA-directed therapy responded, 35.0% with a complete response or better
  [@url:https://hoparx.org/latest-news/elranatamab-in-relapsed-or-refractory-multiple-myeloma-phase-2-magnetismm-3-trial-results].
- **Talquetamab** (GPRC5D): in
  the phase 1 MonumenTAL-1 study the overall response rate was 70% and 64% at the two
  recommended doses
  [@url:https://esmo.org/oncology-news/talquetamab-continuous-to-demonstrate-high-overall-response-rates-in-heavily-pretreated-patients-with-relapsed-or-refractory-multiple-myeloma].

## B-cell lymphoma

- **Mosunetuzumab** (CD20), in follicular lymphoma after two or more lines: 72 of 90 patients
  (80%) responded and 54 (60%) had a complete response
  [@url:https://bloodcancerstoday.com/post/fda-approves-mosunetuzumab-axgb-for-follicular-lymphoma].
- **Glofitamab** (CD20), in diffuse large B-cell lymphoma after two or more lines: 155 patients
  were enrolled; at a median follow-up of 12.6 months, 39% had a complete response
  [@url:https://www.themednet.org/publications/glofitamab-for-relapsed-or-refractory-diffuse-large-b-cell-lymphoma].
- **Epcoritamab** (CD20, given under the skin), in large B-cell lymphoma: in the 2-year
  follow-up of 157 patients, 63.1% had responded and 40.1% had a complete response
  [@pmid:39322711].

## Small-cell lung cancer

- **Tarlatamab** (DLL3): in the phase 2 DeLLphi-301 trial of 220 patients with previously
  treated small-cell lung cancer, 40% of those given the 10-mg dose responded
  [@url:https://kris.kl.ac.at/de/publications/tarlatamab-for-patients-with-previously-treated-small-cell-lung-c].
  In the phase 3 DeLLphi-304 trial, 509 patients whose cancer had progressed after platinum
  chemotherapy received tarlatamab or chemotherapy: median overall survival was 13.6 versus 8.3
  months (hazard ratio 0.60), and grade 3 or higher adverse events occurred in 54% versus 80%
  [@url:https://synapse.mskcc.org/synapse/works/228140].

## Side effects

Cytokine release syndrome is the main class risk. In the glofitamab trial it occurred in 63%
of patients [@url:https://www.themednet.org/publications/glofitamab-for-relapsed-or-refractory-diffuse-large-b-cell-lymphoma].

## Caveats

All of these agents were first approved under accelerated approval, on response rates in
single-arm trials; such an approval lasts only if confirmatory trials bear it out. Tarlatamab
(on DeLLphi-304), teclistamab and epcoritamab in follicular lymphoma have since received
regular approval. Glofitamab remains under accelerated approval: in July 2025 the FDA declined
to approve glofitamab with gemcitabine and oxaliplatin on the STARGLO trial, which was also
meant to confirm that approval
[@url:https://www.indianpharmapost.com/diagnostic-center/lite/roche-updates-on-sbla-for-columvi-combination-for-people-with-relapsed-or-refractory-diffuse-large-b-cell-lymphoma-17442].
The approval-status table gives each agent's status. Response rates from
different single-arm trials do not compare the agents with each other.
"""

_chemo_io_lung_body = """## Rationale

For most people with advanced non-small-cell lung cancer whose tumours do not have high PD-L1
expression, platinum-based chemotherapy was the first-line standard. The KEYNOTE-189 and
KEYNOTE-407 trials tested adding the PD-1 antibody pembrolizumab to it, whatever the tumour's
PD-L1 level. Chemotherapy has no article here because it is not an immunotherapy; PD-1
blockade is described in
[Anti-PD-1 antibodies](/therapies/anti-pd-1-pd-l1-antibodies/).

## Non-squamous cancer: KEYNOTE-189

In [KEYNOTE-189](/trials/NCT02578680/), 616 patients with untreated metastatic non-squamous
non-small-cell lung cancer without EGFR or ALK alterations received pemetrexed and a platinum
drug with pembrolizumab or placebo, assigned 2:1 [@pmid:29658856].

- Overall survival at 12 months was 69.2% versus 49.4% (hazard ratio for death 0.49)
  [@pmid:29658856].
- Median progression-free survival was 8.8 versus 4.9 months (hazard ratio 0.52)
  [@pmid:29658856].
- After five years, overall survival was 19.4% versus 11.3% (hazard ratio 0.60)
  [@pmid:36809080].

## Squamous cancer: KEYNOTE-407

In KEYNOTE-407, 559 patients with untreated metastatic squamous non-small-cell lung cancer
received carboplatin with paclitaxel or nab-paclitaxel, and pembrolizumab or placebo. Median
overall survival was 15.9 versus 11.3 months (hazard ratio for death 0.64)
[@doi:10.1056/NEJMoa1810865].

## Approvals in the United States

- May 2017: accelerated approval of pembrolizumab with pemetrexed and carboplatin for
  non-squamous disease
  [@url:https://letswinpc.org/newsfeed/2017/05/16/fda-approves-pembrolizumab-first-line-combination-therapy-pemetrexed-carboplatin-metastatic-nonsquamous-nsclc/],
  on a phase 2 cohort of 123 patients (KEYNOTE-021 cohort G)
  [@url:https://e-syllabus.gotoper.com/publications/ajho/2017/2017july/frontline-immunotherapy-in-non-small-cell-lung-cancer-for-which-patients-is-platinum-passe].
- August 2018: full approval with pemetrexed and a platinum drug, on KEYNOTE-189
  [@url:https://www.onclive.com/web-exclusives/fda-grants-full-approval-to-pembrolizumab-plus-chemo-for-nsclc].
- October 2018: approval with carboplatin and paclitaxel or nab-paclitaxel for squamous
  disease, on KEYNOTE-407
  [@url:https://www.onclive.com/web-exclusives/fda-approves-frontline-pembrolizumab-regimen-for-squamous-nsclc].

## Caveats

Severe side effects are common with the combination: grade 3 or higher adverse events
occurred in 67.2% of patients in the pembrolizumab group of KEYNOTE-189 [@pmid:29658856] and
in 69.8% versus 68.2% in KEYNOTE-407 [@doi:10.1056/NEJMoa1810865]. For tumours with PD-L1 on
at least 50% of cells, pembrolizumab alone is also an option (KEYNOTE-024, in the PD-1
article); the trials above did not compare the two.
"""

_bcg_body = """## How it works

BCG (bacillus Calmette-Guérin) is a live, weakened strain of the bacterium used as a
tuberculosis vaccine. Given into the bladder through a catheter after the visible tumour has
been removed (transurethral resection), it sets off a local immune reaction against the
cancer cells that remain.

## Evidence

- **Recurrence:** a systematic review of six randomised trials (585 patients) with Ta and T1
  tumours found a 56% reduction in the hazard of first recurrence with BCG after resection,
  compared with resection alone
  [@url:https://www.scilit.net/publications/c79d7a11f8a7ee00065dc784628ad8b9].
- **Progression:** in a meta-analysis of 24 randomised trials (4,863 patients), 9.8% of
  patients given BCG progressed versus 13.8% in the control groups, a 27% reduction in the
  odds of progression (odds ratio 0.73); only patients who received maintenance BCG benefited
  [@pmid:12394686].

## Approval

In 1990 the US FDA approved BCG for carcinoma in situ of the bladder
[@url:https://www.cancernetwork.com/view/bcg-immunotherapy-transitional-cell-carcinoma-situ-bladder].

## When BCG stops working

For carcinoma in situ that no longer responds to BCG, one option approved in the United States
is the IL-15 superagonist nogapendekin alfa inbakicept, given together with BCG: see
[Nogapendekin alfa inbakicept with BCG](/combinations/nogapendekin-alfa-plus-bcg/).
"""

_neoantigen_body = """## How it works

A personalised neoantigen therapy is made for one patient. The tumour's genes are sequenced,
the mutated protein fragments (neoantigens) most likely to be recognised by T cells are
chosen, and an mRNA that encodes them is manufactured for that patient and injected; in the
trials below, together with a PD-1 or PD-L1 antibody. In the pancreatic-cancer trial of
autogene cevumeran, each vaccine carried up to 20 neoantigens [@doi:10.1038/s41586-023-06063-y].

## Melanoma: mRNA-4157 (V940) with pembrolizumab

In the randomised phase 2b trial KEYNOTE-942 [@nct:NCT03897881], 157 patients with completely
resected high-risk melanoma received mRNA-4157 plus pembrolizumab (107 patients) or
pembrolizumab alone (50). Recurrence or death occurred in 22% versus 40% of patients; the
hazard ratio for recurrence-free survival was 0.561 (95% confidence interval 0.309 to 1.017;
P=0.053)
[@url:https://ascopost.com/news/january-2024/adjuvant-treatment-of-resected-melanoma-mrna-based-personalized-therapy-plus-immunotherapy].
The confidence interval includes no effect, so the improvement is numerical, from a
phase 2 trial.

The phase 3 trial INTerpath-001 [@nct:NCT05933577] compares the combination with
pembrolizumab alone in about 1,089 patients with resected high-risk (stage IIB-IV) melanoma
[@url:https://prep.medthority.com/news/2023/12/interpath-002-a-phase-iii-study-evaluating-v-940-mrna-4157---keytruda-pembrolizumab-for-adjuvant-treatment-of-patients-with-certain-types-of-resected-non-small-cell-lung-cancer--merck-inc.--moderna-inc].

## Pancreatic cancer: autogene cevumeran

In a phase 1 trial, autogene cevumeran was given after surgery for pancreatic cancer together
with the PD-L1 antibody atezolizumab and mFOLFIRINOX chemotherapy. The report describes which
patients developed vaccine-induced T-cell responses; it was not designed to show a benefit
[@doi:10.1038/s41586-023-06063-y].

## Status

These therapies are investigational: none is approved. In March 2025 Moderna said it expected
a potential approval of its individualised neoantigen therapy by 2027
[@url:https://www.financetom.com/business/moderna-says-individualized-neoantigen-therapy-on-track-for-2027-potential-approval-345946.htm].
"""

_nogapendekin_bcg_body = """## Rationale

Nogapendekin alfa inbakicept (N-803) is an IL-15 superagonist. It is given into the bladder
together with BCG for carcinoma in situ that no longer responds to BCG alone. A 2025 review
describes it as the first new cytokine approved by the FDA for the treatment of cancer since
interferon alfa (1986) and interleukin-2 (1992) [@doi:10.1186/s13045-025-01664-8].

## Evidence: QUILT-3.032

QUILT-3.032 [@nct:NCT03022825] is a single-arm trial in BCG-unresponsive non-muscle-invasive
bladder cancer.

- **FDA review (77 patients with carcinoma in situ):** 62% had a complete response; of these,
  58% stayed in response for at least 12 months and 40% for at least 24 months
  [@url:https://esmo.org/oncology-news/fda-approves-nogapendekin-alfa-inbakicept-pmln-for-bcg-unresponsive-non-muscle-invasive-bladder-cancer].
- **Published report (cohort A, 82 patients with carcinoma in situ):** 58 (71%) had a complete
  response, with a median duration of 26.6 months [@doi:10.1056/EVIDoa2200167].

The two sets of figures come from different groups of patients and should not be combined.

## Approval

The US FDA approved nogapendekin alfa inbakicept with BCG on 22 April 2024 for adults with
BCG-unresponsive non-muscle-invasive bladder cancer with carcinoma in situ, with or without
papillary tumours
[@url:https://esmo.org/oncology-news/fda-approves-nogapendekin-alfa-inbakicept-pmln-for-bcg-unresponsive-non-muscle-invasive-bladder-cancer].

## Caveats

There is no randomised comparison: the evidence is one single-arm trial.
"""


def _first(
    slug,
    title,
    therapy_class,
    cancer_types,
    key_agents,
    summary,
    body,
    sources,
    statuses,
    evidence_level="standard_of_care",
):
    """A therapy article published in one version, its sources listed in order of use."""
    return {
        "slug": slug, "therapy_class": therapy_class, "evidence_level": evidence_level,
        "cancer_types": cancer_types,
        "versions": [{
            "title": title, "summary": summary, "body": body, "key_agents": key_agents,
            "regulatory_status": statuses, "change_summary": "First version.",
            "citations": [_cite[key] if isinstance(key, str) else key for key in sources],
        }],
    }  # fmt: skip


THERAPIES += [
    _first(
        "anti-pd-l1-antibodies",
        "Anti-PD-L1 antibodies: atezolizumab, durvalumab, avelumab",
        "checkpoint_inhibitor",
        [
            "non-small-cell-lung-cancer",
            "small-cell-lung-cancer",
            "bladder-cancer",
            "merkel-cell-carcinoma",
        ],
        ["atezolizumab", "durvalumab", "avelumab"],
        "Antibodies against PD-L1 block the PD-1 pathway from the tumour's side. Durvalumab "
        "after chemoradiotherapy in stage III lung cancer, atezolizumab in lung cancer and "
        "avelumab maintenance in bladder cancer prolonged survival in phase 3 trials.",
        _pdl1_body,
        [
            "antonia2017",
            "antonia2018",
            "rittmeyer2017",
            "horn2018",
            "powles2020",
            "powles2023",
            "dangelo2020",
            "pacific_safety",
            _FDA_WITHDRAWN,
            "durvalumab_danube",
            "atezolizumab_first",
            "atezolizumab_uc_withdrawn",
            "atezolizumab_1l_uc_withdrawn",
        ],
        [
            _status(
                "atezolizumab",
                "approved",
                "2016-10-18",
                (
                    "https://maestrodatabase.com/blog/fda-approves-genentechs-cancer-immunotherapy-"
                    "tecentriq-atezolizumab-for-people-with-a-specific-type-of-metastatic-lung-"
                    "cancer"
                ),
                "metastatic non-small-cell lung cancer after platinum chemotherapy",
            ),
            _status(
                "atezolizumab",
                "approved",
                "2019-03-18",
                (
                    "https://gene.com/media/news-features/fda-approves-first-and-only-cancer-"
                    "immunotherapy-for-initial-treatment-of-difficult-to-treat-type-of-lung-cancer"
                ),
                "extensive-stage small-cell lung cancer, first line, with carboplatin "
                "and etoposide",
            ),
            _status(
                "atezolizumab",
                "withdrawn",
                "2021-03",
                _cite["atezolizumab_uc_withdrawn"],
                "urothelial carcinoma after platinum chemotherapy (accelerated approval of "
                "May 2016; withdrawal announced by the company)",
            ),
            _status(
                "atezolizumab",
                "withdrawn",
                "2022-11-28",
                _cite["atezolizumab_1l_uc_withdrawn"],
                "first-line urothelial carcinoma in patients who cannot receive cisplatin "
                "(accelerated approval of 2017; withdrawal announced by the company)",
            ),
            _status(
                "atezolizumab",
                "withdrawn",
                "2021-10-06",
                _FDA_WITHDRAWN,
                "PD-L1-positive triple-negative breast cancer, with nab-paclitaxel "
                "(accelerated approval of 8 March 2019)",
            ),
            _status(
                "durvalumab",
                "approved",
                "2018-02-16",
                (
                    "http://jnccn360.org/nsclc/news/fda-expands-approval-of-durvalumab-in-advanced-"
                    "unresectable-lung-cancer/"
                ),
                "unresectable stage III non-small-cell lung "
                "cancer after platinum-based chemoradiotherapy",
            ),
            _status(
                "durvalumab",
                "withdrawn",
                "2021-02-19",
                _FDA_WITHDRAWN,
                "urothelial carcinoma after platinum chemotherapy (accelerated approval of "
                "1 May 2017)",
            ),
            _status(
                "avelumab",
                "approved",
                "2020-06-30",
                "http://dev-voice.ons.org/node/12786/printable/print",
                "maintenance in advanced urothelial carcinoma that has not progressed on "
                "first-line platinum chemotherapy",
            ),
        ],
    ),
    _first(
        "lag-3-blockade",
        "LAG-3 blockade: relatlimab with nivolumab",
        "checkpoint_inhibitor",
        ["melanoma"],
        ["relatlimab", "nivolumab"],
        "Relatlimab blocks LAG-3, a T-cell checkpoint distinct from PD-1. Given with nivolumab, "
        "it prolonged progression-free survival over nivolumab alone in untreated advanced "
        "melanoma.",
        _lag3_body,
        [
            "tawbi2022",
            _trial("NCT03470922"),
            "long2023",
            "tawbi2025",
            "opdualag_bms",
            "opdualag_approval",
        ],
        [
            _status(
                "relatlimab",
                "approved",
                "2022-03-18",
                _cite["opdualag_approval"],
                "unresectable or metastatic melanoma, aged 12 years or older (with nivolumab, "
                "as one product)",
            ),
            _status(
                "nivolumab",
                "approved",
                "2014-12-22",
                _cite["maestro_nivolumab"],
                "unresectable or metastatic melanoma (first approval, granted as an accelerated "
                "approval)",
            ),
        ],
    ),
    _first(
        "bcma-car-t-cell-therapy",
        "BCMA-directed CAR-T cell therapy in multiple myeloma",
        "car_t",
        ["multiple-myeloma"],
        ["idecabtagene vicleucel", "ciltacabtagene autoleucel"],
        "The patient's own T cells are engineered to recognise BCMA on myeloma cells. After "
        "single-arm trials in heavily pretreated myeloma, randomised trials showed longer "
        "progression-free survival than standard regimens in earlier relapse.",
        _bcma_cart_body,
        [
            "fda_idecel_summary",
            "berdeja2021",
            "karmma3_design",
            "ailawadhi2024",
            "sanmiguel2023",
            "fda_cart_boxed_warning",
            "fda_cart_rems",
        ],
        [
            _status(
                "idecabtagene vicleucel",
                "approved",
                "2021-03-26",
                _cite["idecel_first"],
                "multiple myeloma after four or more lines of therapy",
            ),
            _status(
                "idecabtagene vicleucel",
                "approved",
                "2024-04-04",
                _cite["idecel_2024"],
                "triple-class-exposed multiple myeloma after two or more lines",
            ),
            _status(
                "ciltacabtagene autoleucel",
                "approved",
                "2022-02-28",
                _cite["ciltacel_first"],
                "multiple myeloma after four or more lines of therapy",
            ),
            _status(
                "ciltacabtagene autoleucel",
                "approved",
                "2024-04-05",
                _cite["ciltacel_2024"],
                "lenalidomide-refractory multiple myeloma after one or more lines",
            ),
        ],
    ),
    _first(
        "bispecific-engagers-myeloma-lymphoma-lung",
        "Bispecific T-cell engagers in myeloma, lymphoma and small-cell lung cancer",
        "bispecific_engager",
        [
            "multiple-myeloma",
            "large-b-cell-lymphoma",
            "follicular-lymphoma",
            "small-cell-lung-cancer",
        ],
        [
            "teclistamab",
            "elranatamab",
            "talquetamab",
            "mosunetuzumab",
            "glofitamab",
            "epcoritamab",
            "tarlatamab",
        ],
        "Off-the-shelf antibodies that link T cells to myeloma (BCMA, GPRC5D), B-cell lymphoma "
        "(CD20) or small-cell lung cancer cells (DLL3). Tarlatamab prolonged survival over "
        "chemotherapy; most others rest on response rates in single-arm trials.",
        _bispecific_more_body,
        [
            "moreau2022",
            "lesokhin2023",
            "talquetamab_esmo",
            "mosunetuzumab_fl",
            "dickinson2022",
            "thieblemont2024",
            "ahn2023",
            "mountzios2025",
            "teclistamab_fda",
            "elranatamab_fda",
            "talquetamab_fda",
            "mosunetuzumab_fda",
            "glofitamab_fda",
            "epcoritamab_fda",
            "epcoritamab_fl_fda",
            "tarlatamab_accelerated",
            "tarlatamab_regular",
            "glofitamab_starglo",
        ],
        [
            _status(
                "teclistamab",
                "approved",
                "2026-03",
                (
                    "https://www.oncnursingnews.com/view/fda-approves-teclistamab-combination-for-"
                    "r-r-multiple-myeloma-in-latest-cnpv-review"
                ),
                "multiple myeloma after "
                "four or more lines (accelerated approval of 25 October 2022 converted)",
            ),
            _status(
                "elranatamab",
                "accelerated",
                "2023-08-14",
                _cite["elranatamab_fda"],
                "multiple myeloma after four or more lines",
            ),
            _status(
                "talquetamab",
                "accelerated",
                "2023-08-09",
                _cite["talquetamab_fda"],
                "multiple myeloma after four or more lines",
            ),
            _status(
                "mosunetuzumab",
                "accelerated",
                "2022-12-22",
                _cite["mosunetuzumab_fda"],
                "follicular lymphoma after two or more lines",
            ),
            _status(
                "glofitamab",
                "accelerated",
                "2023-06-15",
                _cite["glofitamab_fda"],
                "diffuse large B-cell lymphoma after two or more lines",
            ),
            _status(
                "epcoritamab",
                "accelerated",
                "2023-05-19",
                _cite["epcoritamab_fda"],
                "diffuse large B-cell and high-grade B-cell lymphoma after two or more lines",
            ),
            _status(
                "epcoritamab",
                "approved",
                "2025-11-18",
                (
                    "https://www.onclive.com/view/fda-approval-of-epcoritamab-based-triplet-"
                    "challenges-prior-standards-for-r-r-follicular-lymphoma"
                ),
                "follicular lymphoma after two or more lines (accelerated approval of June "
                "2024 converted)",
            ),
            _status(
                "tarlatamab",
                "approved",
                "2025-11-19",
                _cite["tarlatamab_regular"],
                "extensive-stage small-cell lung cancer after platinum chemotherapy "
                "(accelerated approval of 16 May 2024 converted)",
            ),
        ],
    ),
    _first(
        "intravesical-bcg",
        "Intravesical BCG for non-muscle-invasive bladder cancer",
        "other",
        ["bladder-cancer"],
        ["BCG (bacillus Calmette-Guérin)"],
        "A weakened tuberculosis bacterium given into the bladder after the tumour is removed. "
        "It lowers the risk of recurrence, and maintenance treatment the risk of progression, "
        "in non-muscle-invasive bladder cancer.",
        _bcg_body,
        ["bcg_recurrence_review", "sylvester2002", "bcg_approval"],
        [
            _status(
                "BCG (bacillus Calmette-Guérin)",
                "approved",
                "1990",
                _cite["bcg_approval"],
                "carcinoma in situ of the bladder (given into the bladder)",
            )
        ],
    ),
    _first(
        "personalised-mrna-neoantigen-therapy",
        "Personalised mRNA neoantigen therapies (investigational)",
        "cancer_vaccine",
        ["melanoma", "pancreatic-cancer"],
        ["mRNA-4157 (V940, intismeran autogene)", "autogene cevumeran"],
        "mRNA vaccines made for each patient from the mutations of their own tumour. With "
        "pembrolizumab after surgery for melanoma, mRNA-4157 numerically reduced recurrence in "
        "a phase 2b trial; a phase 3 trial is under way. None is approved.",
        _neoantigen_body,
        [
            "rojas2023",
            _trial("NCT03897881"),
            "weber2024",
            _trial("NCT05933577"),
            "interpath001",
            "moderna_2025",
        ],
        [
            _status(
                "mRNA-4157 (V940, intismeran autogene)",
                "investigational",
                "2025-03",
                _cite["moderna_2025"],
                "resected high-risk melanoma, with pembrolizumab (phase 3)",
            ),
            _status(
                "autogene cevumeran",
                "investigational",
                "2023",
                _cite["rojas2023"],
                "resected pancreatic cancer (phase 1)",
            ),
        ],
        evidence_level="phase2",
    ),
]

COMBINATIONS += [
    {
        "slug": "pembrolizumab-plus-chemotherapy-lung-cancer",
        "therapies": ["anti-pd-1-pd-l1-antibodies"],
        "other_treatments": ["platinum chemotherapy (carboplatin or cisplatin)",
                             "pemetrexed (non-squamous) or paclitaxel or nab-paclitaxel "
                             "(squamous)"],
        "evidence_level": "standard_of_care",
        "key_trials": ["NCT02578680"],
        "title": "Pembrolizumab with platinum chemotherapy in non-small-cell lung cancer",
        "summary": "Adding pembrolizumab to first-line platinum chemotherapy prolonged overall "
        "survival in metastatic non-squamous (KEYNOTE-189) and squamous (KEYNOTE-407) "
        "non-small-cell lung cancer, whatever the tumour's PD-L1 level.",
        "body": _chemo_io_lung_body,
        "change_summary": "First version.",
        "citations": [_cite["gandhi2018"], _cite["garassino2023"], _cite["pazares2018"],
                      _cite["pembro_chemo_2017"], _cite["keynote021_basis"],
                      _cite["pembro_chemo_2018"],
                      _cite["pembro_squamous_2018"], _trial("NCT02578680")],
    },
    {
        "slug": "nogapendekin-alfa-plus-bcg",
        "therapies": ["cytokine-therapy", "intravesical-bcg"],
        "evidence_level": "standard_of_care",
        "key_trials": ["NCT03022825"],
        "title": "Nogapendekin alfa inbakicept (IL-15 superagonist) with BCG",
        "summary": "For carcinoma in situ of the bladder that no longer responds to BCG, the "
        "IL-15 superagonist given with BCG produced complete responses in most patients of a "
        "single-arm trial, and was approved in the United States in 2024.",
        "body": _nogapendekin_bcg_body,
        "change_summary": "First version.",
        "citations": [_cite["il15_review"], _trial("NCT03022825"), _cite["anktiva_fda"],
                      _cite["chamie2023"]],
    },
]  # fmt: skip

# The new notes link the articles written for them.
next(entry for entry in TRIALS if entry["nct_id"] == "NCT03361748")["therapies"] = [
    "bcma-car-t-cell-therapy", "car-t-cell-therapy"]  # fmt: skip
next(entry for entry in TRIALS if entry["nct_id"] == "NCT02578680")["combinations"] = [
    "pembrolizumab-plus-chemotherapy-lung-cancer"]  # fmt: skip

_cytokine_now = """
## Place in melanoma treatment today

Neither high-dose IL-2 nor interferon alfa-2b is a first choice for melanoma any more. The
use of high-dose IL-2 in melanoma has largely been replaced by checkpoint inhibitors directed
against PD-1, alone or with a CTLA-4 antibody
[@url:https://www.uptodate.com/contents/interleukin-2-and-experimental-immunotherapy-approaches-for-advanced-melanoma].
After surgery for high-risk melanoma, trials found a greater benefit with checkpoint
inhibitors and targeted therapy than with interferon, and the 2020 Ontario guideline
recommends nivolumab, pembrolizumab or, for BRAF V600E or V600K mutations, dabrafenib with
trametinib [@url:https://current-oncology.com/index.php/oncology/article/view/5933].

## IL-15: nogapendekin alfa inbakicept

Nogapendekin alfa inbakicept (N-803) is an IL-15 superagonist, approved in April 2024 with
BCG for BCG-unresponsive carcinoma in situ of the bladder. A 2025 review describes it as the
first new cytokine approved by the FDA for the treatment of cancer since interferon alfa (1986)
and interleukin-2 (1992) [@doi:10.1186/s13045-025-01664-8].
Its evidence is described in
[Nogapendekin alfa inbakicept with BCG](/combinations/nogapendekin-alfa-plus-bcg/).
"""

_cytokine = next(entry for entry in THERAPIES if entry["slug"] == "cytokine-therapy")
CORRECTIONS.append({
    "kind": "therapy",
    "key": "cytokine-therapy",
    "version": {
        "title": "Cytokine therapy: interleukin-2, interferon alfa and an IL-15 superagonist",
        "summary": "High-dose interleukin-2 produces durable complete responses in a small "
        "minority of patients with metastatic melanoma; it and adjuvant interferon alfa-2b have "
        "largely given way to checkpoint inhibitors. An IL-15 superagonist is approved with BCG "
        "for bladder cancer.",
        "body": _cytokine_body + _cytokine_now,
        "key_agents": ["aldesleukin", "interferon alfa-2b", "nogapendekin alfa inbakicept"],
        "cancer_types": ["melanoma", "renal-cell-carcinoma", "bladder-cancer"],
        "regulatory_status": [
            _status("aldesleukin", "approved", "1992", _cite["il15_review"],
                    "metastatic renal cell carcinoma"),
            _status("aldesleukin", "approved", "1998", _cite["atkins1999"],
                    "metastatic melanoma (now rarely a first choice)"),
            _status("interferon alfa-2b", "approved", "1995-12", "https://www.latimes.com/archives/la-xpm-1995-12-07-fi-11317-story.html",
                "adjuvant treatment after surgery for melanoma at high risk of recurrence "
                "(no longer recommended by guidelines)"),
            _status("nogapendekin alfa inbakicept", "approved", "2024-04-22",
                    _cite["anktiva_fda"], "BCG-unresponsive non-muscle-invasive bladder cancer "
                    "with carcinoma in situ, with BCG"),
        ],
        "change_summary": "Said that high-dose IL-2 and adjuvant interferon are no longer first "
        "choices in melanoma; added the approval-status table and the IL-15 superagonist "
        "nogapendekin alfa inbakicept.",
        "citations": [
            *_cytokine["versions"][-1]["citations"],
            _url("https://www.uptodate.com/contents/"
                 "interleukin-2-and-experimental-immunotherapy-approaches-for-advanced-melanoma",
                 "Sosman JA. Interleukin-2 and experimental immunotherapy approaches for "
                 "advanced melanoma. UpToDate (topic updated December 2017)."),
            _url("https://current-oncology.com/index.php/oncology/article/view/5933",
                 "Petrella TM, et al. Systemic adjuvant therapy for adult patients at high risk "
                 "for recurrent cutaneous or mucosal melanoma: an Ontario Health (Cancer Care "
                 "Ontario) clinical practice guideline. Curr Oncol. 2020;27(1):e43-e52."),
            _cite["il15_review"],
        ],
    },
    "correction": "The article presented high-dose IL-2 and adjuvant interferon alfa-2b for "
    "melanoma without saying that both have been replaced as first choices by checkpoint "
    "inhibitors (and, after surgery, targeted therapy); it says so now, and its approval-status "
    "table gives each agent's status.",
})  # fmt: skip

# The PD-1 article's later update also covers previously treated and chemo-combined lung
# cancer, links the articles on the other checkpoints, and lists the PD-1 accelerated
# approvals that were withdrawn.
_pd1_update = next(
    entry for entry in LATER_UPDATES if entry["slug"] == "anti-pd-1-pd-l1-antibodies"
)
_pd1_update["version"]["body"] = (
    _anti_pd1_v2_body
    + """
## Previously treated lung cancer

In non-small-cell lung cancer that had progressed after platinum chemotherapy, nivolumab
prolonged overall survival over docetaxel in squamous disease
([CheckMate 017](/trials/NCT01642004/): median 9.2 versus 6.0 months) [@pmid:26028407] and in
non-squamous disease ([CheckMate 057](/trials/NCT01673867/): 12.2 versus 9.4 months)
[@pmid:26412456].

## With chemotherapy, and other checkpoints

- Pembrolizumab is also given with first-line platinum chemotherapy, whatever the tumour's
  PD-L1 level: see
  [Pembrolizumab with platinum
  chemotherapy](/combinations/pembrolizumab-plus-chemotherapy-lung-cancer/)
  and the [KEYNOTE-189](/trials/NCT02578680/) note.
- Antibodies against PD-L1 (atezolizumab, durvalumab, avelumab) have their own article:
  [Anti-PD-L1 antibodies](/therapies/anti-pd-l1-antibodies/).
- Nivolumab is combined with the LAG-3 antibody relatlimab
  ([LAG-3 blockade](/therapies/lag-3-blockade/)) and with the CTLA-4 antibody ipilimumab
  ([PD-1 plus CTLA-4 blockade](/combinations/anti-pd-1-plus-anti-ctla-4/)).

## Tumour-agnostic approvals

- In May 2017, pembrolizumab became the first cancer treatment approved for a biomarker
  rather than for the place where the tumour started: microsatellite-instability-high or
  mismatch-repair-deficient solid tumours that had progressed after prior treatment
  [@url:https://www.pharmacypracticenews.com/New-Drug-Approvals/Article/05-17/FDA-Approves-First-Therapy-for-Specific-Biomarker-Rather-Than-Tumor-Site/41478].
  Of 149
  patients with 15 tumour types in five single-arm trials, 39.6% responded [@pmid:30787022].
  The accelerated approval became a full approval in March 2023, on 504 patients from three
  phase 2 trials, with a response rate of 33.3%
  [@url:https://www.precisionmedicineonline.com/regulatory-news-fda-approvals/merck-nabs-full-fda-approval-keytruda-msi-high-dmmr-solid-tumors].
- In June 2020 pembrolizumab received accelerated approval for solid tumours with a high
  tumour mutational burden (at least 10 mutations per megabase): 29% of 102 patients
  responded
  [@url:https://aacrjournals.org/clincancerres/article/27/17/4685/671619/FDA-Approval-Summary-Pembrolizumab-for-the].
- Another PD-1 antibody, dostarlimab, received accelerated approval in August 2021 for
  mismatch-repair-deficient solid tumours; 41.6% of 209 patients responded
  [@url:http://dev-voice.ons.org/node/16066/printable/print].

## Before and after surgery

- **Melanoma, after surgery:** in CheckMate 238, recurrence-free survival at 12 months was
  70.5% with nivolumab versus 60.8% with ipilimumab after resection of stage IIIB-C or IV
  melanoma (hazard ratio 0.65) [@pmid:28891423]. In KEYNOTE-054, after resection of high-risk
  stage III melanoma, recurrence-free survival at 1 year was 75.4% with pembrolizumab versus
  61.0% with placebo (hazard ratio 0.57) [@pmid:29658430].
- **Lung cancer, before surgery:** in CheckMate 816, 358 patients with resectable
  non-small-cell lung cancer received nivolumab with platinum chemotherapy or chemotherapy
  alone before surgery. Median event-free survival was 31.6 versus 20.8 months (hazard ratio
  0.63), and no cancer was left in the removed tissue (pathological complete response) in
  24.0% versus 2.2% [@url:https://pmc.ncbi.nlm.nih.gov/articles/PMC9844511].
- **Triple-negative breast cancer, before and after surgery:** in KEYNOTE-522, pembrolizumab
  with chemotherapy before surgery, then alone after it, raised the pathological complete
  response rate from 51.2% to 64.8% among the first 602 patients
  [@url:https://jnccn360.org/breast/medical-literature/pathologic-complete-response-with-pembrolizumab-for-triple-negative-breast-cancer].

## Accelerated approvals that were withdrawn

Accelerated approvals of PD-1 antibodies that were withdrawn when the confirmatory evidence
did not bear them out include three on the FDA's list
[@url:https://www.fda.gov/drugs/resources-information-approved-drugs/withdrawn-cancer-accelerated-approvals]:

- nivolumab in small-cell lung cancer after platinum chemotherapy and at least one other line
  (approved 16 August 2018, withdrawn 29 December 2020);
- pembrolizumab in the same setting (approved 17 June 2019, withdrawn 30 March 2021);
- nivolumab in hepatocellular carcinoma after sorafenib (approved 22 September 2017, withdrawn
  23 July 2021).

A fourth was withdrawn by the company: pembrolizumab alone in PD-L1-positive gastric or
gastro-oesophageal junction cancer after two or more lines of treatment, approved on
22 September 2017; Merck announced its withdrawal on 1 July 2021
[@url:https://www.globalreachhealth.com/merck-announces-plan-to-withdraw-keytrudas-monotherapy-indication-for-pd-l1-positive-gastric-and-gej-cancer/].
"""
)
_pd1_update["version"]["citations"] = [
    _cite["robert2015"], _cite["larkin2015"], _cite["reck2016"], _cite["reck2019"],
    _cite["brahmer2015"],
    _cite["borghaei2015"],
    _url(
        "https://www.globalreachhealth.com/merck-announces-plan-to-withdraw-keytrudas-"
        "monotherapy-indication-for-pd-l1-positive-gastric-and-gej-cancer/",
        "Merck announcement (July 1, 2021), via Global Reach Health: plan to withdraw the "
        "pembrolizumab monotherapy indication in PD-L1-positive gastric and gastro-oesophageal "
        "junction cancer.",
    ),
    _url("https://www.pharmacypracticenews.com/New-Drug-Approvals/Article/05-17/"
         "FDA-Approves-First-Therapy-for-Specific-Biomarker-Rather-Than-Tumor-Site/41478",
         "Pharmacy Practice News. FDA approves first therapy for specific biomarker rather "
         "than tumor site (May 2017)."),
    _paper("pmid", "30787022", "Marcus L, et al. FDA approval summary: pembrolizumab for the "
           "treatment of microsatellite instability-high solid tumors. Clin Cancer Res. "
           "2019;25(13):3753-3758."),
    _url("https://www.precisionmedicineonline.com/regulatory-news-fda-approvals/"
         "merck-nabs-full-fda-approval-keytruda-msi-high-dmmr-solid-tumors",
         "Precision Medicine Online. Merck nabs full FDA approval for Keytruda in MSI-high, "
         "dMMR solid tumors (March 2023)."),
    _url("https://aacrjournals.org/clincancerres/article/27/17/4685/671619/"
         "FDA-Approval-Summary-Pembrolizumab-for-the",
         "Marcus L, et al. FDA approval summary: pembrolizumab for the treatment of tumor "
         "mutational burden-high solid tumors. Clin Cancer Res. 2021;27(17):4685-4689."),
    _url("http://dev-voice.ons.org/node/16066/printable/print",
         "ONS Voice. FDA approves dostarlimab-gxly for dMMR advanced solid tumors (August 17, "
         "2021)."),
    _paper("pmid", "28891423", "Weber J, et al. Adjuvant nivolumab versus ipilimumab in "
           "resected stage III or IV melanoma. N Engl J Med. 2017;377(19):1824-1835."),
    _paper("pmid", "29658430", "Eggermont AMM, et al. Adjuvant pembrolizumab versus placebo "
           "in resected stage III melanoma. N Engl J Med. 2018;378(19):1789-1801."),
    _url("https://pmc.ncbi.nlm.nih.gov/articles/PMC9844511",
         "Forde PM, et al. Neoadjuvant nivolumab plus chemotherapy in resectable lung cancer. "
         "N Engl J Med. 2022;386:1973-1985 (full text at PubMed Central)."),
    _url("https://jnccn360.org/breast/medical-literature/"
         "pathologic-complete-response-with-pembrolizumab-for-triple-negative-breast-cancer",
         "JNCCN 360. Pathologic complete response with pembrolizumab for triple-negative "
         "breast cancer (report of Schmid P, et al. N Engl J Med. 2020; KEYNOTE-522)."),
    _FDA_WITHDRAWN,
]  # fmt: skip
_pd1_update["version"]["regulatory_status"] += [
    _status("nivolumab", "approved", "2015-03-04", ("https://consumer.healthday.com/hematology-oncology-12/lung-cancer-news-100/"
        "report-details-benefits-risks-of-nivolumab-for-squamous-nsclc-704252.html"),
        "squamous non-small-cell lung cancer after platinum chemotherapy"),
    _status("nivolumab", "approved", "2015-10-09", "pmid:26984449",
            "non-squamous non-small-cell lung cancer after platinum chemotherapy"),
    _status("pembrolizumab", "approved", "2018-08", _cite["pembro_chemo_2018"],
            "first-line metastatic non-squamous non-small-cell lung cancer, with pemetrexed "
            "and platinum chemotherapy"),
    _status("pembrolizumab", "approved", "2023-03", "https://www.precisionmedicineonline.com/"
            "regulatory-news-fda-approvals/merck-nabs-full-fda-approval-keytruda-msi-high-"
            "dmmr-solid-tumors", "microsatellite-instability-high or mismatch-repair-deficient "
            "solid tumours (accelerated approval of 23 May 2017 converted)"),
    _status("pembrolizumab", "accelerated", "2020-06-16", "https://aacrjournals.org/"
            "clincancerres/article/27/17/4685/671619/FDA-Approval-Summary-Pembrolizumab-for-"
            "the", "solid tumours with high tumour mutational burden"),
    _status("nivolumab", "withdrawn", "2020-12-29", _FDA_WITHDRAWN,
            "small-cell lung cancer after platinum chemotherapy and one other line "
            "(accelerated approval of 16 August 2018)"),
    _status("pembrolizumab", "withdrawn", "2021-03-30", _FDA_WITHDRAWN,
            "small-cell lung cancer after platinum chemotherapy and one other line "
            "(accelerated approval of 17 June 2019)"),
    _status("nivolumab", "withdrawn", "2021-07-23", _FDA_WITHDRAWN,
            "hepatocellular carcinoma after sorafenib (accelerated approval of 22 September "
            "2017)"),
]  # fmt: skip
# The article is about PD-1 antibodies; PD-L1 antibodies now have their own (its address,
# like every published address, stays).
_pd1_update["version"]["title"] = "Anti-PD-1 antibodies: pembrolizumab and nivolumab"
_pd1_update["version"]["change_summary"] = (
    "Approval status of each key agent, with its source; added previously treated lung cancer "
    "(CheckMate 017 and 057), tumour-agnostic approvals (MSI-high or dMMR, TMB-high, "
    "dostarlimab), use before and after surgery (CheckMate 238, KEYNOTE-054, CheckMate 816, "
    "KEYNOTE-522), links to the chemotherapy combination and the PD-L1 and LAG-3 articles, and "
    "the PD-1 accelerated approvals that were withdrawn; retitled, as anti-PD-L1 antibodies "
    "have their own article."
)

# The TCR-T draft's approval status (afami-cel's approval is an accelerated approval).
next(entry for entry in UNPUBLISHED_ITEMS if entry["slug"] == "tcr-engineered-t-cell-therapy")[
    "versions"
][-1]["regulatory_status"] = [
    _status(
        "afamitresgene autoleucel",
        "accelerated",
        "2024-08-02",
        _cite["fda_afamicel"],
        "unresectable or metastatic synovial sarcoma after chemotherapy, MAGE-A4-positive, with "
        "an HLA-A*02 type named in the label",
    ),
]
