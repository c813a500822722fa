import type {
  FileRelevance,
  IncidentType,
  IndustryClassification,
  InternetDetailType,
  IpEventName,
} from '@triage/schemas';

/** NCMEC's eight incidentType texts (cyber_tipline.xsd `incidentType`) and their Avro symbols. */
export const incidentTypes = {
  'Child Pornography (possession, manufacture, and distribution)': 'CHILD_PORNOGRAPHY',
  'Child Sex Trafficking': 'CHILD_SEX_TRAFFICKING',
  'Child Sex Tourism': 'CHILD_SEX_TOURISM',
  'Child Sexual Molestation': 'CHILD_SEXUAL_MOLESTATION',
  'Misleading Domain Name': 'MISLEADING_DOMAIN_NAME',
  'Misleading Words or Digital Images on the Internet': 'MISLEADING_WORDS_OR_IMAGES',
  'Online Enticement of Children for Sexual Acts': 'ONLINE_ENTICEMENT',
  'Unsolicited Obscene Material Sent to a Child': 'UNSOLICITED_OBSCENE_MATERIAL',
} as const satisfies Record<string, IncidentType>;

export const incidentTypeTexts = Object.keys(incidentTypes) as [
  keyof typeof incidentTypes,
  ...(keyof typeof incidentTypes)[],
];

export const ipEventNames = [
  'Login',
  'Registration',
  'Purchase',
  'Upload',
  'Other',
  'Unknown',
] as const satisfies readonly IpEventName[];

/** fileRelevance texts as the XSD spells them, and their Avro symbols. */
export const fileRelevances = {
  Reported: 'REPORTED',
  'Supplemental Reported': 'SUPPLEMENTAL_REPORTED',
} as const satisfies Record<string, FileRelevance>;

export const industryClassifications = [
  'A1',
  'A2',
  'B1',
  'B2',
] as const satisfies readonly IndustryClassification[];

export const internetDetailTypes = [
  'webPage',
  'email',
  'newsgroup',
  'chatIm',
  'onlineGaming',
  'cellPhone',
  'nonInternet',
  'peer2peer',
] as const satisfies readonly InternetDetailType[];
