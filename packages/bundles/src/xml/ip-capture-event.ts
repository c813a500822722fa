import type { IpCaptureEvent, IpEventName } from '@triage/schemas';
import { booleanOf, numberOf, textOf } from './element-values.ts';
import type { XmlElement } from './xml-element.ts';

/** An XSD `ipCaptureEvent` (persons, peer2peer incidents, fileDetails) as the Avro IpCaptureEvent. */
export function toIpCaptureEvent(element: XmlElement): IpCaptureEvent {
  return {
    ipAddress: textOf(element, 'ipAddress') ?? '',
    // The XSD enumeration (ipCaptureType) equals the Avro symbols.
    eventName: textOf(element, 'eventName') as IpEventName | null,
    dateTime: numberOf(element, 'dateTime'),
    possibleProxy: booleanOf(element, 'possibleProxy'),
    port: numberOf(element, 'port'),
  };
}
