import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * CyberTipline XML for tests: NCMEC's own examples from ../shared/data/ncmec (docs/test-data.md) and
 * two invented documents that use most of the schema. Everything invented is fictitious:
 * example.com/example.org addresses, documentation IP ranges, made-up names and ids.
 */

const ncmecDataDir = fileURLToPath(new URL('../../../../../../shared/data/ncmec/', import.meta.url));
export const xsdPath = `${ncmecDataDir}cyber_tipline.xsd`;

export const readNcmecFile = (name: string): Buffer => readFileSync(`${ncmecDataDir}${name}`);

/** A report using most of the XSD: batched, every incident kind we map, two persons, parties. */
export const richReport = `<?xml version="1.0" encoding="UTF-8"?>
<report xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://report.cybertip.org/ispws/xsd">
  <batchedReport reason="VIRAL_POTENTIAL_MEME"/>
  <incidentSummary>
    <incidentType>Online Enticement of Children for Sexual Acts</incidentType>
    <platform>Example Social Photos</platform>
    <escalateToHighPriority>Ongoing contact with a child, see chat</escalateToHighPriority>
    <reportAnnotations>
      <sextortion/>
      <minorToMinorInteraction>true</minorToMinorInteraction>
    </reportAnnotations>
    <incidentDateTime>2026-11-20T21:14:00.250+01:00</incidentDateTime>
    <incidentDateTimeDescription>Evening, local time</incidentDateTimeDescription>
  </incidentSummary>
  <internetDetails>
    <webPageIncident thirdPartyHostedContent="true">
      <url> https://host.example/page/1 </url>
      <url>https://host.example/page/2</url>
      <additionalInfo>Two pages of one album</additionalInfo>
    </webPageIncident>
  </internetDetails>
  <internetDetails>
    <emailIncident>
      <emailAddress type="Work">Sender@Example.COM</emailAddress>
      <content>Message text that is never kept</content>
    </emailIncident>
  </internetDetails>
  <internetDetails>
    <chatImIncident>
      <chatClient>Example Chat</chatClient>
      <chatRoomName>room-42</chatRoomName>
    </chatImIncident>
  </internetDetails>
  <internetDetails>
    <peer2peerIncident>
      <client>ExampleShare</client>
      <ipCaptureEvent>
        <ipAddress>2001:db8::7</ipAddress>
        <eventName>Other</eventName>
      </ipCaptureEvent>
      <fileNames>a.bin, b.bin</fileNames>
    </peer2peerIncident>
  </internetDetails>
  <internetDetails>
    <cellPhoneIncident>
      <phoneNumber countryCallingCode="+31">612345678</phoneNumber>
      <latitude>52.09</latitude>
      <longitude>5.12</longitude>
    </cellPhoneIncident>
  </internetDetails>
  <lawEnforcement>
    <agencyName>Example Police</agencyName>
    <caseNumber>EX-0001</caseNumber>
  </lawEnforcement>
  <reporter>
    <reportingPerson>
      <firstName>Rita</firstName>
      <lastName>Reporter</lastName>
      <email>rita.reporter@example.org</email>
    </reportingPerson>
    <companyTemplate>Example Social, legal process via legal@example.org</companyTemplate>
  </reporter>
  <personOrUserReported>
    <personOrUserReportedPerson>
      <firstName>Sam</firstName>
      <lastName>Suspect</lastName>
      <phone type="Mobile" countryCallingCode="+31">687654321</phone>
      <email verified="true">Sam.Suspect@Example.com</email>
      <email>sam2@example.com</email>
      <address type="Home"><city>Utrecht</city><country>NL</country></address>
      <age>34</age>
      <dateOfBirth>1992-01-01</dateOfBirth>
    </personOrUserReportedPerson>
    <espIdentifier>user-1001</espIdentifier>
    <espService>Photos</espService>
    <compromisedAccount>false</compromisedAccount>
    <screenName>sam_the_example</screenName>
    <displayName>Sam E.</displayName>
    <displayName>S.</displayName>
    <profileUrl>https://social.example/u/1001</profileUrl>
    <ipCaptureEvent>
      <ipAddress> 203.0.113.7 </ipAddress>
      <eventName>Login</eventName>
      <dateTime>2026-11-20T21:00:00Z</dateTime>
      <possibleProxy>0</possibleProxy>
      <port>51234</port>
    </ipCaptureEvent>
    <ipCaptureEvent>
      <ipAddress>198.51.100.23</ipAddress>
      <eventName>Registration</eventName>
      <dateTime>2026-01-02T03:04:05</dateTime>
      <possibleProxy>true</possibleProxy>
    </ipCaptureEvent>
    <deviceId>
      <idType>IDFA</idType>
      <idValue>00000000-0000-4000-8000-000000000001</idValue>
      <eventName>Login</eventName>
      <dateTime>2026-11-20T21:00:00Z</dateTime>
    </deviceId>
    <priorCTReports>99001</priorCTReports>
    <priorCTReports>+0099002</priorCTReports>
    <groupIdentifier>group-7</groupIdentifier>
    <estimatedLocation verified="false" timestamp="2026-11-20T22:00:00Z">
      <city>Utrecht</city>
      <region>UT</region>
      <countryCode>NL</countryCode>
    </estimatedLocation>
    <additionalInfo>Account created two days before</additionalInfo>
  </personOrUserReported>
  <personOrUserReported>
    <screenName>second_user</screenName>
    <estimatedLocation><countryCode>A1</countryCode></estimatedLocation>
  </personOrUserReported>
  <intendedRecipient>
    <intendedRecipientPerson>
      <firstName>Never</firstName>
      <email>Recipient@Example.org</email>
      <age>14</age>
    </intendedRecipientPerson>
    <screenName>recipient_14</screenName>
    <additionalInfo>First note</additionalInfo>
    <additionalInfo>Second note</additionalInfo>
  </intendedRecipient>
  <victim>
    <victimPerson>
      <firstName>Kept</firstName>
      <lastName>Out</lastName>
      <age>13</age>
    </victimPerson>
    <espIdentifier>user-2002</espIdentifier>
    <profileUrl>https://social.example/u/2002</profileUrl>
    <schoolName>Never Kept School</schoolName>
    <estimatedLocation><countryCode></countryCode></estimatedLocation>
  </victim>
  <victim>
    <victimPerson/>
  </victim>
  <additionalInfo>Invented report for tests.</additionalInfo>
</report>
`;

/** A fileDetails using most of the XSD: annotations, classification, hashes, upload event, details. */
export const richFileDetails = `<?xml version="1.0" encoding="UTF-8"?>
<fileDetails>
  <reportId>100234</reportId>
  <fileId>  f-1 </fileId>
  <fileName>media/IMG_0001.jpg</fileName>
  <originalFileName>holiday.jpg</originalFileName>
  <uploadedToEspTimestamp>2026-11-20T21:05:00Z</uploadedToEspTimestamp>
  <locationOfFile>https://cdn.example/abc.jpg</locationOfFile>
  <fileViewedByEsp>true</fileViewedByEsp>
  <exifViewedByEsp>false</exifViewedByEsp>
  <publiclyAvailable>false</publiclyAvailable>
  <fileRelevance>Supplemental Reported</fileRelevance>
  <fileAnnotations>
    <possibleSelfProduction/>
    <generativeAi/>
  </fileAnnotations>
  <industryClassification>B2</industryClassification>
  <originalFileHash hashType="md5">0CC175B9C0F1B6A831C399E269772661</originalFileHash>
  <originalFileHash hashType="Sha1">86F7E437FAA5A7FCE15D1DDCB9EAEAEA377667B8</originalFileHash>
  <originalFileHash hashType="PhotoDNA">AQID,BAUG</originalFileHash>
  <ipCaptureEvent>
    <ipAddress>198.51.100.9</ipAddress>
    <eventName>Upload</eventName>
    <dateTime>2026-11-20T21:05:00Z</dateTime>
    <possibleProxy>false</possibleProxy>
    <port>443</port>
  </ipCaptureEvent>
  <deviceId>
    <idType>IMEI</idType>
    <idValue>000000000000001</idValue>
  </deviceId>
  <details type="EXIF">
    <nameValuePair><name>Model</name><value>Example Cam</value></nameValuePair>
    <nameValuePair><name>Software</name><value>Example 1.0</value></nameValuePair>
  </details>
  <details>
    <nameValuePair><name>note</name><value>untyped</value></nameValuePair>
  </details>
  <additionalInfo>First upload</additionalInfo>
  <additionalInfo>Re-uploaded later</additionalInfo>
</fileDetails>
`;
