package dev.cdc.common.xml;

/**
 * What the caller does with a document the extractor refuses ({@link MalformedXmlException}): the extractor always
 * throws, the caller applies the rule's policy. The parent row itself lands in every case but FAIL.
 */
public enum MalformedPolicy {
    /** A DLQ record with the reason and the original event, then carry on. */
    DLQ,
    /** Carry on without a DLQ record (the caller still logs and counts it: nothing is dropped unseen). */
    SKIP,
    /** Stop: a refused document is an error to fix before going on. */
    FAIL
}
