import { trustedPattern } from "../../../src/jobs/propose/comments.js";

describe("trustedPattern", () => {
  const associations = new Map([
    [1, "NONE"],
    [2, "NONE"],
    [3, "NONE"],
    [4, "MEMBER"],
    [5, "FIRST_TIME_CONTRIBUTOR"],
  ]);

  it("needs a reviewer with a role in the repository, or two reviewers", () => {
    // One outsider, three comments: not proposed.
    expect(trustedPattern({ commentIds: [1, 2, 3], reviewers: ["drive-by"] }, associations)).toBe(false);
    expect(trustedPattern({ commentIds: [1, 5], reviewers: ["drive-by"] }, associations)).toBe(false);
    // A member among them, or a second person asking: proposed.
    expect(trustedPattern({ commentIds: [1, 2, 4], reviewers: ["drive-by"] }, associations)).toBe(true);
    expect(trustedPattern({ commentIds: [1, 2, 3], reviewers: ["drive-by", "another"] }, associations)).toBe(true);
    // Unknown association (an export without it) counts as no role.
    expect(trustedPattern({ commentIds: [9], reviewers: ["solo"] }, associations)).toBe(false);
  });
});
