// Failure messages and stack traces are sealed by the payload codec too (issue 11 §3): the default
// converter with encodeCommonAttributes moves them into a payload, so an activity error that quotes a
// database row, or a refusal that names a person, is not kept in plain text in the history. Loaded by
// the worker and bundled into the workflow code (bundleWorkflowCode's failureConverterPath): it must
// import nothing but @temporalio/common. Clients decode such failures whatever their own converter.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
