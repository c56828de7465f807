/**
 * The {@code resource} processor: applies {@code attributes} actions (insert, update, upsert,
 * delete, hash (SHA-256), extract, convert; with {@code value}, {@code from_attribute}, {@code
 * default_value}, {@code pattern}, {@code converted_type}) to every resource's attributes, in order. {@code from_context}
 * is accepted but yields nothing: otelcol-java receivers carry no client metadata.
 */
package dev.otelcoljava.processor.resource;
