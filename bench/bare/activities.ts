// The baseline's activities: nothing but the round trip through the server.
export const bareActivities = {
  async noop(_step: number): Promise<void> {
    // nothing: what is measured is scheduling, dispatch and completion
  },
};
export type BareActivities = typeof bareActivities;
